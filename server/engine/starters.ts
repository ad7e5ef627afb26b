import type { Actor, ProcessAttributes, Role } from './types.js';

/** Roles that may start a process whose model names no starters. */
const DEFAULT_STARTERS: readonly Role[] = ['admin', 'manager', 'staff'];

/**
 * True when the actor may start a process with these attributes: a member of `starterGroups`, one of
 * `starterUsers`, or an admin; a process without declared starters may be started by the working roles.
 */
export function mayStart(attributes: ProcessAttributes | undefined, actor: Actor): boolean {
  if (actor.roles.includes('admin')) return true;
  const groups = attributes?.starterGroups ?? [];
  const users = attributes?.starterUsers ?? [];
  if (groups.length === 0 && users.length === 0) return actor.roles.some((r) => DEFAULT_STARTERS.includes(r));
  return users.includes(actor.id) || groups.some((g) => actor.groups.includes(g));
}
