import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditCarrier, AuditDraft } from '../engine/audit-chain.js';
import type { DefinitionRecord, DefinitionStore } from '../engine/stores.js';
import type { DefinitionSummary, ElementInfo, I18nText } from '../engine/types.js';

interface DefinitionDoc {
  _id: string;
  key: string;
  version: number;
  name: I18nText;
  hash: string;
  xml: string;
  deployedAt: string;
  deployedBy: string;
  elements: ElementInfo[];
  formKeys?: string[];
  /** Forms deployed with this version, as JSON text (schemas hold `$`-keys a document may not have). */
  forms?: string;
  /** The deployment's audit entries and the chain's end before them (crash repair; not part of the record). */
  auditAfterSeq?: number;
  auditDrafts?: AuditDraft[];
}

const definitionSchema = new Schema<DefinitionDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    name: { fa: String, en: String },
    hash: { type: String, required: true },
    xml: { type: String, required: true },
    deployedAt: { type: String, required: true },
    deployedBy: { type: String, required: true },
    elements: { type: Schema.Types.Mixed, default: [] },
    formKeys: { type: [String], default: undefined },
    forms: { type: String },
    auditAfterSeq: { type: Number },
    auditDrafts: { type: Schema.Types.Mixed },
  },
  { collection: 'definitions', versionKey: false },
);
definitionSchema.index({ key: 1, version: -1 });

export function definitionModel(conn: Connection): Model<DefinitionDoc> {
  return (
    (conn.models.Definition as Model<DefinitionDoc> | undefined) ??
    conn.model<DefinitionDoc>('Definition', definitionSchema)
  );
}

function toRecord(d: DefinitionDoc): DefinitionRecord {
  const { _id, auditAfterSeq: _after, auditDrafts: _drafts, forms, ...rest } = d;
  const record: DefinitionRecord = { id: _id, ...rest };
  if (forms) record.forms = JSON.parse(forms) as DefinitionRecord['forms'];
  return record;
}

function toSummary(d: DefinitionDoc): DefinitionSummary {
  const { xml: _xml, forms: _forms, ...rest } = toRecord({ ...d, forms: undefined });
  return rest;
}

/** Deployed BPMN definitions, one document per `<key>:<version>`. */
export class MongoDefinitionStore implements DefinitionStore {
  private readonly model: Model<DefinitionDoc>;

  constructor(conn: Connection) {
    this.model = definitionModel(conn);
  }

  async insert(def: DefinitionRecord, audit?: AuditCarrier): Promise<void> {
    const { id, forms, ...rest } = def;
    if (forms) Object.assign(rest, { forms: JSON.stringify(forms) });
    const carried = audit ? { auditAfterSeq: audit.auditAfterSeq, auditDrafts: audit.auditDrafts } : {};
    await this.model.collection.insertOne({ _id: id, ...rest, ...carried } as never);
  }

  async auditCarriersSince(seq: number): Promise<AuditCarrier[]> {
    const docs = await this.model.collection
      .find({ auditAfterSeq: { $gte: seq } }, { projection: { auditAfterSeq: 1, auditDrafts: 1 } })
      .toArray();
    return docs.map((d) => ({
      id: String(d._id),
      rev: 0,
      auditAfterSeq: d.auditAfterSeq as number,
      auditDrafts: d.auditDrafts as AuditDraft[],
    }));
  }

  async get(key: string, version: number): Promise<DefinitionRecord | undefined> {
    const d = await this.model.findById(`${key}:${version}`).lean<DefinitionDoc>();
    return d ? toRecord(d) : undefined;
  }

  async latest(key: string): Promise<DefinitionRecord | undefined> {
    const d = await this.model.findOne({ key }).sort({ version: -1 }).lean<DefinitionDoc>();
    return d ? toRecord(d) : undefined;
  }

  async findByHash(key: string, hash: string): Promise<DefinitionRecord | undefined> {
    const d = await this.model.findOne({ key, hash }).sort({ version: -1 }).lean<DefinitionDoc>();
    return d ? toRecord(d) : undefined;
  }

  async listLatest(): Promise<DefinitionSummary[]> {
    const docs = await this.model
      .find({}, { xml: 0, forms: 0 })
      .sort({ key: 1, version: -1 })
      .lean<DefinitionDoc[]>();
    const seen = new Set<string>();
    const out: DefinitionSummary[] = [];
    for (const d of docs) {
      if (seen.has(d.key)) continue;
      seen.add(d.key);
      out.push(toSummary({ ...d, xml: '' }));
    }
    return out;
  }

  async versions(key: string): Promise<DefinitionSummary[]> {
    const docs = await this.model
      .find({ key }, { xml: 0, forms: 0 })
      .sort({ version: -1 })
      .lean<DefinitionDoc[]>();
    return docs.map((d) => toSummary({ ...d, xml: '' }));
  }
}
