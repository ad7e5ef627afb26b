/** Whether the database answers, for `/healthz` (implemented by `server/persistence/database.ts`). */
export interface DatabaseHealth {
  /** True when the server answers a ping within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
}
