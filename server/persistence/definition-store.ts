import { Schema, type Collection, type Connection, type Model } from 'mongoose';
import { updateLane, type UpdateLane } from './update-lane.js';
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

/** The fields of a definition without its BPMN file and forms (summaries). */
const SUMMARY = { projection: { xml: 0, forms: 0 } } as const;

/** The head document that says the heads were made (process keys are NCNames: no `:`). */
const HEADS_MADE = ':made';

/**
 * Deployed BPMN definitions, one document per `<key>:<version>`, and beside them one head document per process
 * key in `definition_heads` (`{ _id: key, version }`) naming its latest version. FerretDB's SQLite backend answers
 * only `{ _id }` from an index: finding a latest version by a sort over `key` read and decoded every stored
 * version of every process, BPMN file and forms included, on every start of an instance (after a one-second cache)
 * and every listing of processes, so both grew with every version a manager ever deployed. Now every read is by
 * `_id`, and the heads (one small document per process) are read whole.
 *
 * A head is written before its version is inserted, so a crash between the two (or a read in between) finds a
 * head one ahead, never a version without a head: reads step back to the last version stored.
 */
export class MongoDefinitionStore implements DefinitionStore {
  private readonly model: Model<DefinitionDoc>;
  private readonly heads: Collection;
  private readonly lane: UpdateLane;
  private headsMade: Promise<void> | undefined;

  constructor(conn: Connection) {
    this.model = definitionModel(conn);
    this.heads = conn.collection('definition_heads');
    this.lane = updateLane(conn);
  }

  private setHead(key: string, version: number): Promise<unknown> {
    return this.lane.run(() =>
      this.heads.replaceOne({ _id: key } as never, { version } as never, { upsert: true }),
    );
  }

  /** A database from before the heads gets them once, from one read of its versions (then a marker). */
  private made(): Promise<void> {
    return (this.headsMade ??= (async () => {
      if (await this.heads.findOne({ _id: HEADS_MADE } as never)) return;
      const latest = new Map<string, number>();
      for (const d of await this.model.collection
        .find({}, { projection: { key: 1, version: 1 } })
        .toArray()) {
        const key = String(d.key);
        latest.set(key, Math.max(latest.get(key) ?? 0, Number(d.version)));
      }
      for (const [key, version] of latest) {
        const head = (await this.heads.findOne({ _id: key } as never)) as { version?: number } | null;
        if ((head?.version ?? 0) < version) await this.setHead(key, version);
      }
      await this.setHead(HEADS_MADE, 0);
    })().catch((err: unknown) => {
      this.headsMade = undefined;
      throw err;
    }));
  }

  /** The version a head names, or 0. */
  private async head(key: string): Promise<number> {
    await this.made();
    const d = (await this.heads.findOne({ _id: key } as never)) as { version?: number } | null;
    return d?.version ?? 0;
  }

  /** Every process key with its head. */
  private async allHeads(): Promise<[string, number][]> {
    await this.made();
    const docs = await this.heads.find({}).toArray();
    return docs
      .filter((d) => d._id !== (HEADS_MADE as unknown))
      .map((d): [string, number] => [String(d._id), Number(d.version)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** `read` of the version a head names, or of the last one stored before it. */
  private async atOrBefore<T>(
    head: number,
    read: (version: number) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    for (let version = head; version > 0; version--) {
      const found = await read(version);
      if (found) return found;
    }
    return undefined;
  }

  async insert(def: DefinitionRecord, audit?: AuditCarrier): Promise<void> {
    const { id, forms, ...rest } = def;
    if (forms) Object.assign(rest, { forms: JSON.stringify(forms) });
    const carried = audit ? { auditAfterSeq: audit.auditAfterSeq, auditDrafts: audit.auditDrafts } : {};
    if (def.version > (await this.head(def.key))) await this.setHead(def.key, def.version);
    await this.model.collection.insertOne({ _id: id, ...rest, ...carried } as never);
  }

  /**
   * Deployments whose audit entries were to follow `seq`: each process's versions from its latest back, by
   * `_id`, while they were deployed after `seq` (a process's versions are deployed in order).
   */
  async auditCarriersSince(seq: number): Promise<AuditCarrier[]> {
    const out: AuditCarrier[] = [];
    for (const [key, head] of await this.allHeads())
      for (let version = head; version > 0; version--) {
        const d = await this.model.collection.findOne({ _id: `${key}:${version}` } as never, {
          projection: { auditAfterSeq: 1, auditDrafts: 1 },
        });
        if (!d) continue; // a head one ahead of its version (a kill between the two writes)
        // deployed before `seq`, or before deployments carried their entries: so were all before it
        if (d.auditAfterSeq === undefined || (d.auditAfterSeq as number) < seq) break;
        out.push({
          id: String(d._id),
          rev: 0,
          auditAfterSeq: d.auditAfterSeq as number,
          auditDrafts: d.auditDrafts as AuditDraft[],
        });
      }
    return out;
  }

  async get(key: string, version: number): Promise<DefinitionRecord | undefined> {
    const d = await this.model.findById(`${key}:${version}`).lean<DefinitionDoc>();
    return d ? toRecord(d) : undefined;
  }

  async latest(key: string): Promise<DefinitionRecord | undefined> {
    return this.atOrBefore(await this.head(key), (v) => this.get(key, v));
  }

  private async summary(key: string, version: number): Promise<DefinitionSummary | undefined> {
    const d = (await this.model.collection.findOne(
      { _id: `${key}:${version}` } as never,
      SUMMARY,
    )) as DefinitionDoc | null;
    return d ? toSummary({ ...d, xml: '' }) : undefined;
  }

  async listLatest(): Promise<DefinitionSummary[]> {
    const out = await Promise.all(
      (await this.allHeads()).map(([key, head]) => this.atOrBefore(head, (v) => this.summary(key, v))),
    );
    return out.filter((d): d is DefinitionSummary => d !== undefined);
  }

  async versions(key: string): Promise<DefinitionSummary[]> {
    const head = await this.head(key);
    const out = await Promise.all(Array.from({ length: head }, (_, i) => this.summary(key, head - i)));
    return out.filter((d): d is DefinitionSummary => d !== undefined);
  }
}
