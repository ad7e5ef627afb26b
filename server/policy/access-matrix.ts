import type { Role } from '../engine/types.js';

/**
 * The one written matrix of who may call which route (by operationId, see schemas/api/routes.ts).
 * `public`: anyone; otherwise the roles listed. Enforced in one place (`authorize` in route-kit.ts).
 * Object-level rules on top (a task only for its assignee, candidate users and groups; an instance for staff
 * only when they started it or hold a task in it) live in server/policy/visibility.ts.
 */
export type Access = 'public' | readonly Role[];

const ALL: readonly Role[] = ['admin', 'manager', 'staff', 'leadership', 'auditor'];
const WORKERS: readonly Role[] = ['admin', 'manager', 'staff'];
const MODELLERS: readonly Role[] = ['admin', 'manager'];
const READERS: readonly Role[] = ['admin', 'manager', 'leadership', 'auditor'];
const DASHBOARDS: readonly Role[] = ['admin', 'manager', 'leadership'];
/** Roles that can be offered a task: every role but the auditor's (read-only). */
const OFFERED: readonly Role[] = ['admin', 'manager', 'staff', 'leadership'];
const AUDITORS: readonly Role[] = ['admin', 'auditor'];

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
  listBackups: ['admin'],
  createBackup: ['admin'],
  updateUser: ['admin'],
  listGroups: ALL,
  getDirectory: ALL,

  listDefinitions: ALL,
  listVersions: ALL,
  getDefinitionXml: ALL,
  deployDefinition: MODELLERS,
  validateDefinition: MODELLERS,
  getLintContext: MODELLERS,
  definitionImpact: MODELLERS,

  // who may start a process is the model's (candidate starters); without starters, the working roles
  listStartable: ALL,
  startInstance: ALL,
  listInstances: READERS,
  getInstance: ALL,
  listInstanceComments: ALL,
  addInstanceComment: OFFERED,
  getInstanceAudit: READERS,
  cancelInstance: MODELLERS,
  suspendInstance: MODELLERS,
  resumeInstance: MODELLERS,
  retryInstance: MODELLERS,
  migrateInstance: MODELLERS,
  bulkCancelInstances: MODELLERS,
  bulkSuspendInstances: MODELLERS,
  bulkResumeInstances: MODELLERS,
  bulkRetryInstances: MODELLERS,
  bulkMigrateInstances: MODELLERS,

  // whoever is offered a task works it, whatever their role (visibility.ts checks the offer per task)
  listTasks: ALL,
  getTask: ALL,
  claimTask: OFFERED,
  unclaimTask: OFFERED,
  assignTask: OFFERED,
  completeTask: OFFERED,
  listComments: ALL,
  addComment: OFFERED,
  bulkClaim: OFFERED,
  bulkAssign: OFFERED,
  bulkComplete: OFFERED,
  getForm: ALL,
  listForms: MODELLERS,
  checkForm: MODELLERS,
  listFormDrafts: MODELLERS,
  saveFormDraft: MODELLERS,
  getFormDraft: MODELLERS,
  deleteFormDraft: MODELLERS,

  correlateMessage: MODELLERS,
  sendSignal: MODELLERS,

  getMetrics: DASHBOARDS,
  verifyAudit: AUDITORS,
  searchAudit: AUDITORS,
  exportAudit: AUDITORS,
  startAuditVerification: AUDITORS,
  listEvents: ALL,

  // documents: on top, the instance's own rule (visibility.ts canReadInstance) for every one of them
  listDocuments: ALL,
  getDocument: ALL,
  downloadDocument: ALL,
  uploadDocument: WORKERS,
  addDocumentVersion: WORKERS,
  regenerateLetter: WORKERS,

  // each user's own bell and mail settings
  listNotifications: ALL,
  markNotificationsRead: ALL,
  getNotificationSettings: ALL,
  updateNotificationSettings: ALL,
};

/** Roles that read every task and instance (not only their own). */
export const READ_ALL_ROLES: readonly Role[] = ['admin', 'manager', 'leadership', 'auditor'];
/** Roles that open the modeller. */
export const MODELLER_ROLES: readonly Role[] = MODELLERS;
/** Roles that open the auditor's desk. */
export const AUDITOR_ROLES: readonly Role[] = AUDITORS;
/** Roles that may start processes without declared starters. */
export const DEFAULT_STARTER_ROLES: readonly Role[] = WORKERS;
/** Roles that work offered tasks (claim, complete, comment). */
export const OFFERED_ROLES: readonly Role[] = OFFERED;
/** Roles whose sockets join the `dashboard` room. */
export const DASHBOARD_ROLES: readonly Role[] = DASHBOARDS;

/** True when a user with `roles` may call the route `operationId`. */
export function mayCall(operationId: string, roles: readonly Role[]): boolean {
  const access = accessMatrix[operationId];
  if (access === undefined) return false;
  if (access === 'public') return true;
  return roles.some((r) => access.includes(r));
}
