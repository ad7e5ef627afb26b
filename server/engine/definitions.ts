import { createHash } from 'node:crypto';
import { AppError } from '../app-error.js';
import { auditKey, type AuditCarrier, type AuditDraft, type AuditWriter } from './audit-chain.js';
import type { Clock } from './clock.js';
import { compileDefinition, hashXml, type CompiledDefinition } from './definition-compiler.js';
import type { EventBus } from './event-bus.js';
import type { FeelFunctionMap } from './expressions.js';
import type { FormRegistry } from './forms.js';
import type { InstanceQueue } from './instance-queue.js';
import type { DefinitionEntry } from './live.js';
import type { ServiceRegistry } from './service-registry.js';
import type { DefinitionRecord, RuntimeStores } from './stores.js';
import type { Actor, DefinitionSummary, DeployResult, ElementInfo } from './types.js';

export interface DefinitionsOptions {
  stores: RuntimeStores;
  services: ServiceRegistry;
  forms: FormRegistry;
  feelFunctions: () => FeelFunctionMap;
  queue: InstanceQueue;
  audit: AuditWriter;
  events: EventBus;
  clock: Clock;
  /** Marks the run unclean before its first write (the checkpoint writer's). */
  markRunning(): Promise<void>;
}

/** Forms carried by a deployment: form key → JSON Schema. */
export type DeployedForms = Record<string, Record<string, unknown>>;

/** JSON with object keys sorted, so equal forms hash equally whatever order they were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Deployed definitions: compile and validate, deploy (versioned, audited), and the compiled-model cache. */
export class Definitions {
  private readonly defs = new Map<string, DefinitionEntry>();
  private readonly loading = new Map<string, Promise<DefinitionEntry>>();
  private readonly latest = new Map<string, { entry: DefinitionEntry; until: number }>();
  /** Deployments stored whose audit entry failed to append, by definition id. */
  private readonly auditPending = new Map<string, AuditCarrier>();
  /** The forms of each version read so far (`key:version`): deployed versions are immutable. */
  private readonly formsById = new Map<string, DeployedForms>();

  constructor(private readonly options: DefinitionsOptions) {}

  private compile(xml: string, forms: DeployedForms = {}, anyForm = false): Promise<CompiledDefinition> {
    return compileDefinition(xml, {
      hasService: (n) => this.options.services.has(n),
      hasForm: (k) => anyForm || k in forms || this.options.forms.has(k),
      feelFunctions: this.options.feelFunctions(),
    });
  }

  /** The forms a deployment of `xml` ends up with (its process key is read first, forms not yet checked). */
  private async formsFor(xml: string, carried: DeployedForms): Promise<DeployedForms> {
    const probe = await this.compile(xml, carried, true);
    return this.formsOf(probe.key, carried);
  }

  /** Refuses forms that are not valid JSON Schemas written by the office's conventions (422 with the list). */
  private checkForms(forms: DeployedForms): void {
    const problems = this.options.forms.problems(forms);
    if (problems.length) throw new AppError('RV_ERR_FORM_SCHEMA_INVALID', { errors: problems });
  }

  /**
   * The forms a new version keeps: those of the latest version (a redrawn diagram keeps its forms) with the
   * deployment's own forms replacing any of the same key.
   */
  private async formsOf(key: string, carried: DeployedForms): Promise<DeployedForms> {
    const latest = await this.options.stores.definitions.latest(key);
    return { ...(latest?.forms ?? {}), ...carried };
  }

  async validate(xml: string, forms: DeployedForms = {}): Promise<{ key: string; elements: ElementInfo[] }> {
    this.checkForms(forms);
    const c = await this.compile(xml, await this.formsFor(xml, forms));
    return { key: c.key, elements: c.elements };
  }

  /** Deploys a BPMN file with the forms it carries (form key → JSON Schema), stored with the new version. */
  async deploy(xml: string, actor: Actor, carried: DeployedForms = {}): Promise<DeployResult> {
    const { stores, audit, queue } = this.options;
    this.checkForms(carried);
    const forms = await this.formsFor(xml, carried);
    const compiled = await this.compile(xml, forms);
    const hash = Object.keys(forms).length
      ? createHash('sha256').update(compiled.hash).update(stableJson(forms)).digest('hex')
      : compiled.hash;
    // deployments of one key are serialised like instance commands, so versions never collide
    return queue.run(`definition:${compiled.key}`, async () => {
      // the latest version deployed from the same bytes and forms is the answer (a file deployed again, or after
      // its entry failed to append: the entry now); an older version's content deployed again (a revert) is the
      // next version, so that new instances use it
      const latest = await stores.definitions.latest(compiled.key);
      if (latest?.hash === hash) {
        if (this.auditPending.has(latest.id)) await this.appendPendingAudit();
        const { xml: _x, forms: _f, ...summary } = latest;
        return { definition: summary, created: false };
      }
      const version = (latest?.version ?? 0) + 1;
      const record: DefinitionRecord = {
        id: `${compiled.key}:${version}`,
        key: compiled.key,
        version,
        name: compiled.name,
        hash,
        deployedAt: this.options.clock.now().toISOString(),
        deployedBy: actor.id,
        elements: compiled.elements,
        xml,
      };
      if (Object.keys(forms).length) {
        record.forms = forms;
        record.formKeys = Object.keys(forms).sort();
        this.options.forms.useDeployed(record.id, forms);
      }
      const deployed: AuditDraft = {
        at: record.deployedAt,
        actor: actor.id,
        type: 'definition.deployed',
        data: { definitionId: record.id, hash: record.hash },
      };
      // the entry rides on the record: a kill before the append below makes the next start append it
      await this.options.markRunning();
      const carrier: AuditCarrier = {
        id: record.id,
        rev: 0,
        auditAfterSeq: await audit.lastSeq(),
        auditDrafts: [deployed],
      };
      await stores.definitions.insert(record, carrier);
      const { xml: _x, forms: _f, ...summary } = record;
      this.latest.set(compiled.key, { entry: this.cache(summary, compiled), until: Date.now() + 1000 });
      await audit.append([deployed], [auditKey(record.id, 0, 0)]).catch((err: unknown) => {
        // stored without its entry: appended on the next deployment of the same file or at close, else by
        // the next start (this run then stays unclean)
        this.auditPending.set(record.id, carrier);
        throw err;
      });
      this.options.events.emit('definition.deployed', { definition: summary });
      return { definition: summary, created: true };
    });
  }

  /**
   * The latest version of `key` when `xml` is exactly what it was deployed from (same bytes, same forms kept):
   * what `deploy` would answer, without parsing, compiling or linting the file. Undefined when anything differs
   * (the caller then deploys, which makes the next version) or when its audit entry is still owed.
   */
  async deployedAsIs(key: string, xml: string): Promise<DeployResult | undefined> {
    const latest = await this.options.stores.definitions.latest(key);
    if (!latest || this.auditPending.has(latest.id)) return undefined;
    const forms = latest.forms ?? {};
    // the same hash `deploy` computes for a file deployed without forms of its own
    const hash = Object.keys(forms).length
      ? createHash('sha256').update(hashXml(xml)).update(stableJson(forms)).digest('hex')
      : hashXml(xml);
    if (hash !== latest.hash) return undefined;
    const { xml: _x, forms: _f, ...summary } = latest;
    return { definition: summary, created: false };
  }

  /**
   * `deployedAsIs` for many files with one read of every process's latest version (a start checks all the
   * office's files); only a version that kept forms of its own is read again, for its forms.
   */
  async unchanged(files: { key: string; xml: string }[]): Promise<(DeployResult | undefined)[]> {
    const latest = new Map((await this.options.stores.definitions.listLatest()).map((d) => [d.key, d]));
    return Promise.all(
      files.map(async (f) => {
        const l = latest.get(f.key);
        if (!l || this.auditPending.has(l.id)) return undefined;
        if (l.formKeys?.length) return this.deployedAsIs(f.key, f.xml);
        return l.hash === hashXml(f.xml) ? { definition: l, created: false } : undefined;
      }),
    );
  }

  private cache(record: DefinitionSummary, compiled: CompiledDefinition): DefinitionEntry {
    const names = new Map(compiled.elements.map((e) => [e.id, e.name]));
    const entry = { record, compiled, names };
    this.defs.set(record.id, entry);
    return entry;
  }

  /** The parsed definition (latest version when none is given), compiled once per process from its stored XML. */
  get(key: string, version?: number): Promise<DefinitionEntry> {
    const cacheKey = version === undefined ? `latest:${key}` : `${key}:${version}`;
    if (version !== undefined) {
      const hit = this.defs.get(cacheKey);
      if (hit) return Promise.resolve(hit);
    } else {
      // "latest" is remembered briefly (a deploy here replaces it; another process's deploy shows within 1 s)
      const latest = this.latest.get(key);
      if (latest && latest.until > Date.now()) return Promise.resolve(latest.entry);
    }
    let loading = this.loading.get(cacheKey);
    if (loading) return loading;
    const { stores } = this.options;
    loading = (async () => {
      const rec =
        version === undefined
          ? await stores.definitions.latest(key)
          : await stores.definitions.get(key, version);
      if (!rec) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key, ...(version ? { version } : {}) });
      let entry = this.defs.get(rec.id);
      if (!entry) {
        // stored definitions were validated at deploy; a service or form removed since then must not hide them
        const compiled = await compileDefinition(rec.xml, { hasService: () => true, hasForm: () => true });
        const { xml: _x, forms, ...summary } = rec;
        this.options.forms.useDeployed(rec.id, forms);
        entry = this.cache(summary, compiled);
      }
      if (version === undefined) this.latest.set(key, { entry, until: Date.now() + 1000 });
      return entry;
    })();
    this.loading.set(cacheKey, loading);
    try {
      return loading;
    } finally {
      void loading.finally(() => this.loading.delete(cacheKey)).catch(() => undefined);
    }
  }

  list(): Promise<DefinitionSummary[]> {
    return this.options.stores.definitions.listLatest();
  }

  async versions(key: string): Promise<DefinitionSummary[]> {
    const list = await this.options.stores.definitions.versions(key);
    if (!list.length) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key });
    return list;
  }

  /** The forms stored with one version (empty when it carried none); a version never changes, so read once. */
  async forms(key: string, version: number): Promise<DeployedForms> {
    const known = this.formsById.get(`${key}:${version}`);
    if (known) return known;
    const rec = await this.options.stores.definitions.get(key, version);
    if (!rec) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key, version });
    this.options.forms.useDeployed(rec.id, rec.forms);
    const forms = rec.forms ?? {};
    this.formsById.set(`${key}:${version}`, forms);
    return forms;
  }

  async xml(key: string, version: number): Promise<string> {
    const rec = await this.options.stores.definitions.get(key, version);
    if (!rec) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key, version });
    return rec.xml;
  }

  /** How many deployments still miss their audit entry. */
  get auditPendingCount(): number {
    return this.auditPending.size;
  }

  /** Appends the entries of deployments whose append failed (idempotent by key). */
  async appendPendingAudit(): Promise<void> {
    await this.options.audit.appendMissing([...this.auditPending.values()]);
    this.auditPending.clear();
  }
}
