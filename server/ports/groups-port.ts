/** A group of people tasks can be offered to: a directorate, a provincial office, the leadership. */
export interface GroupRecord {
  id: string;
  name: { fa: string; en: string };
  kind: string;
  /** Province code for provincial offices (for per-province metrics). */
  province?: string;
}

/** The office's groups (implemented in `server/persistence/group-store.ts`). */
export interface GroupsPort {
  get(id: string): Promise<GroupRecord | undefined>;
  /** Every group, by id (a small collection). */
  list(): Promise<GroupRecord[]>;
  /** Inserts the groups that do not exist yet; existing ones are left as they are. Returns how many were added. */
  insertMissing(groups: GroupRecord[]): Promise<number>;
}
