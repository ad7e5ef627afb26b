import type { Collection } from 'mongodb';

/**
 * Deletes documents by `_id` in one round trip, one `deleteOne({ _id })` each. FerretDB's SQLite backend uses
 * its `_id` index only for a filter that is exactly `{ _id: value }`; `{ _id: { $in: ids } }` reads and
 * decodes the whole table (measured: 10 ms per id with 1,600 documents), while this stays an index lookup on
 * FerretDB and on MongoDB alike.
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
