import type { Actor } from '../engine/types.js';

const CLAIM_OVERRIDERS = new Set(['admin', 'manager']);

/** Who may act on a task someone else has claimed (checked by the engine inside the instance queue). */
export const taskClaims = {
  /** Unclaim or reassign a task claimed by someone else: admins and managers. */
  mayReleaseOthers(actor: Actor): boolean {
    return actor.roles.some((r) => CLAIM_OVERRIDERS.has(r));
  },
  /** Complete a task claimed by someone else: admins only. */
  mayCompleteOthers(actor: Actor): boolean {
    return actor.roles.includes('admin');
  },
};
