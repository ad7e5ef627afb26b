import type { Role } from '../engine/types.js';

/**
 * The one written matrix of who may call which route (by operationId, see schemas/api/routes.ts).
 * `public`: anyone; otherwise the roles listed. Enforced in one place (`authorize` in route-kit.ts).
 * Object-level rules on top (a task only for its assignee, candidate users and groups; an instance for staff
 * only when they started it or hold a task in it) live in server/http/visibility.ts.
 */
export type Access = 'public' | readonly Role[];

const ALL: readonly Role[] = ['admin', 'manager', 'staff', 'leadership', 'auditor'];
const WORKERS: readonly Role[] = ['admin', 'manager', 'staff'];
const MODELLERS: readonly Role[] = ['admin', 'manager'];
const READERS: readonly Role[] = ['admin', 'manager', 'leadership', 'auditor'];
const DASHBOARDS: readonly Role[] = ['admin', 'manager', 'leadership'];

export const accessMatrix: Record<string, Access> = {
  health: 'public',
  openapi: 'public',
  login: 'public',
  logout: ALL,

  getMe: ALL,
  updateMe: ALL,
  changePassword: ALL,

  listUsers: ['admin', 'manager', 'staff'],
  createUser: ['admin'],
  updateUser: ['admin'],
  listGroups: ALL,

  listDefinitions: ALL,
  listVersions: ALL,
  getDefinitionXml: ALL,
  deployDefinition: MODELLERS,
  validateDefinition: MODELLERS,

  startInstance: WORKERS,
  listInstances: READERS,
  getInstance: ALL,
  getInstanceAudit: READERS,
  cancelInstance: MODELLERS,
  suspendInstance: MODELLERS,
  resumeInstance: MODELLERS,
  retryInstance: MODELLERS,
  migrateInstance: MODELLERS,

  listTasks: ['admin', 'manager', 'staff', 'leadership'],
  getTask: ['admin', 'manager', 'staff', 'leadership'],
  claimTask: WORKERS,
  unclaimTask: WORKERS,
  assignTask: WORKERS,
  completeTask: WORKERS,
  listComments: ['admin', 'manager', 'staff', 'leadership'],
  addComment: WORKERS,
  bulkClaim: WORKERS,
  bulkAssign: WORKERS,
  bulkComplete: WORKERS,
  getForm: ALL,

  correlateMessage: MODELLERS,
  sendSignal: MODELLERS,

  getMetrics: DASHBOARDS,
  verifyAudit: ['admin', 'auditor'],
  startAuditVerification: ['admin', 'auditor'],
  listEvents: ALL,
};

/** Roles that read every task and instance (not only their own). */
export const READ_ALL_ROLES: readonly Role[] = ['admin', 'manager', 'leadership', 'auditor'];
/** Roles whose sockets join the `dashboard` room. */
export const DASHBOARD_ROLES: readonly Role[] = DASHBOARDS;

/** True when a user with `roles` may call the route `operationId`. */
export function mayCall(operationId: string, roles: readonly Role[]): boolean {
  const access = accessMatrix[operationId];
  if (access === undefined) return false;
  if (access === 'public') return true;
  return roles.some((r) => access.includes(r));
}
