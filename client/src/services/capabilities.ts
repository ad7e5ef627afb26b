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

/** GET /api/me `capabilities` (schemas/records.ts `Capabilities`). */
export interface ServerCapabilities {
  canStart: boolean;
  hasInbox: boolean;
  canModel: boolean;
  canDashboard: boolean;
  canAudit: boolean;
  canSearch: boolean;
}

/** The capabilities of `user`: the server's answer (GET /api/me `capabilities`) when it gives one, else by roles. */
export function capabilitiesOf(user: Me | null): Capabilities {
  const none: Capabilities = {
    inbox: false,
    start: false,
    modeller: false,
    dashboard: false,
    audit: false,
    instances: false,
    operate: false,
  };
  if (!user) return none;
  const has = (...roles: string[]) => user.roles.some((r) => r === 'admin' || roles.includes(r));
  const derived: Capabilities = {
    // anyone in a group may be offered a task (leadership reviews, deputy decisions, provincial heads)
    inbox: has('staff', 'manager', 'leadership') || (user.groups ?? []).length > 0,
    start: has('staff', 'manager'),
    modeller: has('manager'),
    dashboard: has('manager', 'leadership'),
    audit: has('auditor'),
    instances: has('manager', 'leadership', 'auditor'),
    operate: has('manager'),
  };
  const server = user.capabilities;
  if (!server) return derived;
  return {
    inbox: server.hasInbox ?? derived.inbox,
    start: server.canStart ?? derived.start,
    modeller: server.canModel ?? derived.modeller,
    dashboard: server.canDashboard ?? derived.dashboard,
    audit: server.canAudit ?? derived.audit,
    instances: server.canSearch ?? derived.instances,
    operate: derived.operate,
  };
}
