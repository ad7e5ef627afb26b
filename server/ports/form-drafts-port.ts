/** A form a manager is still designing: its JSON Schema, kept on the server until it is deployed with a process. */
export interface FormDraftRecord {
  key: string;
  schema: Record<string, unknown>;
  /** Who saved it last (username), and when (ISO time). */
  updatedBy: string;
  updatedAt: string;
}

/** The form designer's drafts, one per form key (implemented in `server/persistence/form-draft-store.ts`). */
export interface FormDraftsPort {
  /** Every draft, by key. */
  list(): Promise<FormDraftRecord[]>;
  get(key: string): Promise<FormDraftRecord | undefined>;
  /** Saves the draft of `key` (a newer save replaces it). */
  put(key: string, schema: Record<string, unknown>, by: string, now?: Date): Promise<FormDraftRecord>;
  /** Removes the draft of `key`; false when there was none. */
  remove(key: string): Promise<boolean>;
}
