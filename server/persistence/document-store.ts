import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { AppError } from '../app-error.js';
import type { DocumentRecord, DocumentVersion } from '../../schemas/documents.js';
import type { DocumentStore } from '../documents/document-stores.js';
import { InstanceQueue } from '../engine/instance-queue.js';

const { Binary } = mongoose.mongo;
type Binary = InstanceType<typeof Binary>;

/** Bytes per chunk, as GridFS (255 KiB): a chunk document stays far below the 16 MB document limit. */
export const CHUNK_SIZE = 255 * 1024;

interface DocumentDoc {
  _id: string;
  instanceId: string;
  /** The whole record as JSON: versions are appended whole, never queried inside. */
  record: string;
  /** How many versions `record` holds (the guard of `addVersion`). */
  versions: number;
}

interface InstanceDocumentsDoc {
  _id: string;
  ids: string[];
}

const documentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    instanceId: { type: String, required: true },
    record: { type: String, required: true },
    versions: { type: Number, required: true },
  },
  { collection: 'documents', versionKey: false },
);

const instanceDocumentsSchema = new Schema<InstanceDocumentsDoc>(
  { _id: { type: String, required: true }, ids: { type: [String], default: [] } },
  { collection: 'instance_documents', versionKey: false },
);

function models(conn: Connection) {
  return {
    documents:
      (conn.models.Document as Model<DocumentDoc> | undefined) ??
      conn.model<DocumentDoc>('Document', documentSchema),
    lists:
      (conn.models.InstanceDocuments as Model<InstanceDocumentsDoc> | undefined) ??
      conn.model<InstanceDocumentsDoc>('InstanceDocuments', instanceDocumentsSchema),
  };
}

/** `_id` of chunk `n` of a file: read and written by `_id` alone, the one filter FerretDB's SQLite indexes. */
export const chunkId = (fileId: string, n: number) => `${fileId}:${n}`;

/**
 * Documents in the database: bytes in `document_chunks` (`_id` `<fileId>:<n>`, 255 KiB each), one record per
 * document in `documents` (`_id` the document id), and each instance's list in `instance_documents` (`_id` the
 * instance id). Every read and write filters on `_id` alone. Writes to one document or one instance's list are
 * serialised in this process (FerretDB's update is read-modify-write; one server owns a database, see DESIGN).
 */
export class MongoDocumentStore implements DocumentStore {
  private readonly m: ReturnType<typeof models>;
  private readonly queue = new InstanceQueue();

  constructor(private readonly conn: Connection) {
    this.m = models(conn);
  }

  private chunks() {
    return this.conn.db!.collection<{ _id: string; data: Binary }>('document_chunks');
  }

  async putFile(fileId: string, data: Buffer): Promise<void> {
    const docs = [];
    for (let n = 0; n * CHUNK_SIZE < data.length; n++) {
      docs.push({
        _id: chunkId(fileId, n),
        data: new Binary(data.subarray(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE)),
      });
    }
    // a few chunks per insert: one message stays well under the 48 MB wire limit
    for (let i = 0; i < docs.length; i += 16) await this.chunks().insertMany(docs.slice(i, i + 16));
  }

  async readFile(fileId: string, size: number): Promise<Buffer> {
    const count = Math.ceil(size / CHUNK_SIZE);
    const parts: Buffer[] = new Array(count);
    // four lookups by _id in flight; `$in` would read the whole collection on FerretDB
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const n = next++;
        const doc = await this.chunks().findOne({ _id: chunkId(fileId, n) });
        if (!doc) throw new AppError('RV_ERR_NOT_FOUND', { fileId, chunk: n });
        parts[n] = Buffer.from(doc.data.buffer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, count) }, worker));
    const out = Buffer.concat(parts);
    if (out.length !== size) throw new AppError('RV_ERR_INTERNAL', { fileId, size, read: out.length });
    return out;
  }

  async deleteFile(fileId: string, size: number): Promise<void> {
    for (let n = 0; n * CHUNK_SIZE < size; n++) await this.chunks().deleteOne({ _id: chunkId(fileId, n) });
  }

  async create(record: DocumentRecord): Promise<void> {
    await this.m.documents.create({
      _id: record.id,
      instanceId: record.instanceId,
      record: JSON.stringify(record),
      versions: record.versions.length,
    });
    await this.queue.run(`instance:${record.instanceId}`, async () => {
      const list = await this.m.lists.findById(record.instanceId).lean<InstanceDocumentsDoc>();
      const ids = [...(list?.ids ?? []), record.id];
      await this.m.lists.updateOne({ _id: record.instanceId }, { $set: { ids } }, { upsert: true });
    });
  }

  addVersion(id: string, expectedVersions: number, version: DocumentVersion): Promise<DocumentRecord> {
    return this.queue.run(`document:${id}`, async () => {
      const doc = await this.m.documents.findById(id).lean<DocumentDoc>();
      if (!doc) throw new AppError('RV_ERR_DOCUMENT_NOT_FOUND');
      if (doc.versions !== expectedVersions)
        throw new AppError('RV_ERR_CONFLICT', { versions: doc.versions });
      const record = JSON.parse(doc.record) as DocumentRecord;
      record.versions.push(version);
      await this.m.documents.updateOne(
        { _id: id },
        { $set: { record: JSON.stringify(record), versions: record.versions.length } },
      );
      return record;
    });
  }

  async get(id: string): Promise<DocumentRecord | undefined> {
    const doc = await this.m.documents.findById(id).lean<DocumentDoc>();
    return doc ? (JSON.parse(doc.record) as DocumentRecord) : undefined;
  }

  async forInstance(instanceId: string): Promise<DocumentRecord[]> {
    const list = await this.m.lists.findById(instanceId).lean<InstanceDocumentsDoc>();
    const records = await Promise.all((list?.ids ?? []).map((id) => this.get(id)));
    return records.filter((r): r is DocumentRecord => !!r);
  }
}
