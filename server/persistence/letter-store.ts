import { Schema, type Connection, type Model } from 'mongoose';
import type { LetterRecord, LetterStore } from '../documents/document-stores.js';

interface LetterDoc {
  /** The verification code. */
  _id: string;
  record: string;
}

interface RegisterEntryDoc {
  /** `<register>:<seq>`: a number can be given once only (the duplicate `_id` refuses a second). */
  _id: string;
  code: string;
}

interface RegisterHeadDoc {
  _id: string;
  last: number;
}

const letterSchema = new Schema<LetterDoc>(
  { _id: { type: String, required: true }, record: { type: String, required: true } },
  { collection: 'letters', versionKey: false },
);
const entrySchema = new Schema<RegisterEntryDoc>(
  { _id: { type: String, required: true }, code: { type: String, required: true } },
  { collection: 'letter_register', versionKey: false },
);
const headSchema = new Schema<RegisterHeadDoc>(
  { _id: { type: String, required: true }, last: { type: Number, required: true } },
  { collection: 'letter_register_heads', versionKey: false },
);

function model<T>(conn: Connection, name: string, schema: Schema<T>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
}

/**
 * The register of issued letters, by `_id` only: `letters` (by verification code), `letter_register` (one entry
 * per number given, `<register>:<seq>`) and `letter_register_heads` (the last number of each register).
 */
export class MongoLetterStore implements LetterStore {
  private readonly letters: Model<LetterDoc>;
  private readonly entries: Model<RegisterEntryDoc>;
  private readonly heads: Model<RegisterHeadDoc>;

  constructor(conn: Connection) {
    this.letters = model(conn, 'Letter', letterSchema);
    this.entries = model(conn, 'LetterRegisterEntry', entrySchema);
    this.heads = model(conn, 'LetterRegisterHead', headSchema);
  }

  async nextNumber(register: string): Promise<number> {
    const head = await this.heads.findById(register).lean<RegisterHeadDoc>();
    let seq = (head?.last ?? 0) + 1;
    // a crash between an entry and its head: the entry is the truth, step past it
    while (await this.entries.findById(`${register}:${seq}`).lean()) seq++;
    return seq;
  }

  async put(letter: LetterRecord): Promise<void> {
    const register = `${letter.directorate}-${letter.year}`;
    // the entry first: a duplicate number fails here, before anything else says it was issued
    await this.entries.create({ _id: `${register}:${letter.seq}`, code: letter.code });
    await this.letters.create({ _id: letter.code, record: JSON.stringify(letter) });
    await this.heads.updateOne({ _id: register }, { $set: { last: letter.seq } }, { upsert: true });
  }

  async get(code: string): Promise<LetterRecord | undefined> {
    const doc = await this.letters.findById(code).lean<LetterDoc>();
    return doc ? (JSON.parse(doc.record) as LetterRecord) : undefined;
  }

  async addHash(code: string, sha256: string): Promise<void> {
    const letter = await this.get(code);
    if (!letter || letter.hashes.includes(sha256)) return;
    letter.hashes.push(sha256);
    await this.letters.updateOne({ _id: code }, { $set: { record: JSON.stringify(letter) } });
  }
}
