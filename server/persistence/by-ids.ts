import type { Collection } from 'mongoose';

/**
 * Most ids in one `_id` `$in` read: `maxIDsIn` of the embedded FerretDB's patch (`ferretdb/overlay/internal/
 * backends/sqlite/id_in.go`), which serves such a list from the `_id` index; a longer list would make it read
 * and filter the whole collection. MongoDB uses its `_id` index either way.
 */
export const IDS_PER_IN = 1000;

/**
 * The documents with these `_id`s, in reads of at most IDS_PER_IN ids through the `_id` index (one round trip
 * per thousand, not one per document); in no particular order, unknown ids left out.
 */
export async function findByIds<T>(
  collection: Collection,
  ids: readonly (string | number)[],
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_IN) {
    const docs = await collection
      .find({ _id: { $in: ids.slice(i, i + IDS_PER_IN) } } as never, projection ? { projection } : {})
      .toArray();
    for (const d of docs) out.push(d as T);
  }
  return out;
}

/** `docs` in the order of `ids` (by `_id`), unknown ids left out. */
export function inOrderOf<T extends { _id: unknown }>(
  ids: readonly (string | number)[],
  docs: readonly T[],
): T[] {
  const byId = new Map(docs.map((d) => [d._id, d]));
  return ids.flatMap((id) => {
    const d = byId.get(id);
    return d ? [d] : [];
  });
}
