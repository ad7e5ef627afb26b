/**
 * What Ravand's own lint rules check names against: the organisation's groups and the deployable forms. The
 * browser fills it from `GET /api/definitions/lint-context`, the server from its directory and forms; a rule
 * whose list is absent checks nothing (the server's list always is there).
 */
export interface LintContext {
  /** Group ids of the directory (`plan-policy`, `province-kab` …). */
  groups?: ReadonlySet<string>;
  /** Form keys a user task or start event may name. */
  forms?: ReadonlySet<string>;
}
