/** A signed-in session. The cookie holds a random token; only its SHA-256 (`id`) is stored. */
export interface SessionRecord {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** Signed-in sessions (implemented in `server/persistence/session-store.ts`). */
export interface SessionsPort {
  create(session: SessionRecord): Promise<void>;
  /** The session when it exists and has not expired at `now`. */
  getLive(id: string, now?: Date): Promise<SessionRecord | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every session of a user except `keepId` (after a password change); returns how many. */
  deleteForUser(userId: string, keepId?: string): Promise<number>;
  /** Removes expired sessions; returns how many. */
  sweep(now?: Date): Promise<number>;
}
