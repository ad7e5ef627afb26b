import { Schema, type Connection, type Model } from 'mongoose';
import type { FormDraftRecord, FormDraftsPort } from '../ports/form-drafts-port.js';

interface FormDraftDoc {
  _id: string;
  /** The JSON Schema as text: `$schema` and other `$`-keys cannot be stored as field names on FerretDB. */
  schema: string;
  updatedBy: string;
  updatedAt: Date;
}

const formDraftSchema = new Schema<FormDraftDoc>(
  {
    _id: { type: String, required: true },
    schema: { type: String, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'form_drafts', versionKey: false },
);

function formDraftModel(conn: Connection): Model<FormDraftDoc> {
  return (
    (conn.models.FormDraft as Model<FormDraftDoc> | undefined) ??
    conn.model<FormDraftDoc>('FormDraft', formDraftSchema)
  );
}

function toRecord(doc: FormDraftDoc): FormDraftRecord {
  return {
    key: doc._id,
    schema: JSON.parse(doc.schema) as Record<string, unknown>,
    updatedBy: doc.updatedBy,
    updatedAt: new Date(doc.updatedAt).toISOString(),
  };
}

/** Reads and writes `form_drafts`: one document per form key; plain records out. */
export class FormDraftStore implements FormDraftsPort {
  private readonly model: Model<FormDraftDoc>;

  constructor(conn: Connection) {
    this.model = formDraftModel(conn);
  }

  async list(): Promise<FormDraftRecord[]> {
    const docs = await this.model.find().sort({ _id: 1 }).lean<FormDraftDoc[]>();
    return docs.map(toRecord);
  }

  async get(key: string): Promise<FormDraftRecord | undefined> {
    const doc = await this.model.findById(key).lean<FormDraftDoc>();
    return doc ? toRecord(doc) : undefined;
  }

  async put(
    key: string,
    schema: Record<string, unknown>,
    by: string,
    now = new Date(),
  ): Promise<FormDraftRecord> {
    const doc: FormDraftDoc = { _id: key, schema: JSON.stringify(schema), updatedBy: by, updatedAt: now };
    await this.model.replaceOne({ _id: key }, doc, { upsert: true });
    return toRecord(doc);
  }

  async remove(key: string): Promise<boolean> {
    const res = await this.model.deleteOne({ _id: key });
    return res.deletedCount > 0;
  }
}
