import type { Collection } from 'mongodb';

type WriteError = { code?: number; writeErrors?: { index: number; code?: number }[] };

/** A duplicate-key refusal (11000): of a single write, or of every write a bulk statement refused. */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as WriteError | null;
  if (e?.writeErrors?.length) return e.writeErrors.every((w) => w.code === 11000);
  return e?.code === 11000;
}

/**
 * Inserts documents that may already be there (a replay after a crash, a deterministic id): one unordered
 * insertMany; resolves with the indexes of the documents refused as duplicates, rethrows any other error.
 */
export async function insertNew(collection: Collection, docs: readonly object[]): Promise<Set<number>> {
  if (!docs.length) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const refused = (err as WriteError).writeErrors;
    return new Set(refused?.length ? refused.map((w) => w.index) : [0]);
  }
}

/**
 * Deletes documents by `_id` in one round trip, one `deleteOne({ _id })` each. FerretDB's SQLite backend can
 * use its `_id` index only for a filter that is exactly `{ _id: value }` (and only as patched, see
 * `FERRETDB_PATCHES`); `{ _id: { $in: ids } }` reads and decodes the whole table. Measured among 2,000
 * documents: 50 ids as one `$in` 80 ms, as 50 `deleteOne`s 43 ms (553 ms before the patch).
 */
export async function deleteByIds(collection: Collection, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  if (ids.length === 1) {
    await collection.deleteOne({ _id: ids[0] } as never);
    return;
  }
  await collection.bulkWrite(
    ids.map((_id) => ({ deleteOne: { filter: { _id } as never } })),
    { ordered: false },
  );
}
