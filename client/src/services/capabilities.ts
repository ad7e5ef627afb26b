import type { Me } from './types.js';

/** What a signed-in user can do, which decides the navigation (never the role name alone). */
export interface Capabilities {
  /** Offered tasks (a group, a candidate user entry, or any working role). */
  inbox: boolean;
  /** May start at least one process. */
  start: boolean;
  modeller: boolean;
  dashboard: boolean;
  /** The auditor's desk: the audit trail and its chain verification. */
  audit: boolean;
  /** Instance search (like Operate's list). */
  instances: boolean;
  /** May act on instances in bulk (cancel, suspend, resume, retry, migrate). */
  operate: boolean;
}

/** The capabilities of `user` as the server decides them (GET /api/me `capabilities`); bulk operation by role. */
export function capabilitiesOf(user: Me | null): Capabilities {
  const server = user?.capabilities;
  if (!user || !server)
    return {
      inbox: false,
      start: false,
      modeller: false,
      dashboard: false,
      audit: false,
      instances: false,
      operate: false,
    };
  return {
    inbox: server.hasInbox,
    start: server.canStart,
    modeller: server.canModel,
    dashboard: server.canDashboard,
    audit: server.canAudit,
    instances: server.canSearch,
    operate: user.roles.some((r) => r === 'admin' || r === 'manager'),
  };
}
