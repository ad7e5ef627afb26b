/** What turns `prev` into `next`, by id: records new, records that changed (by value), ids gone. */
export function diffById<T extends { id: string }>(
  prev: readonly T[],
  next: readonly T[],
): { added: T[]; changed: T[]; removed: string[] } {
  const before = new Map(prev.map((r) => [r.id, r]));
  const nextIds = new Set(next.map((r) => r.id));
  const added: T[] = [];
  const changed: T[] = [];
  for (const r of next) {
    const old = before.get(r.id);
    if (!old) added.push(r);
    else if (JSON.stringify(old) !== JSON.stringify(r)) changed.push(r);
  }
  return { added, changed, removed: prev.filter((r) => !nextIds.has(r.id)).map((r) => r.id) };
}
