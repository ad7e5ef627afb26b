import type { InstanceEntry } from '../engine/projections/instance-entry.js';
import type { ProcessModelInfo } from '../engine/process-attributes.js';
import type { WorkflowRuntime } from '../engine/types.js';
import type { AuditLabels } from '../../schemas/records.js';

/** What the labels read of the instance index. */
export interface InstanceLookup {
  get(id: string): InstanceEntry | undefined;
  search(q: { businessKey: string; limit: number }): { items: InstanceEntry[] };
}

/** Where the labels come from: the in-memory instance index and the runtime's compiled models. */
export interface AuditLabelSources {
  /** The instance index (loaded once, then kept in memory); undefined where there is none. */
  instanceIndex(): Promise<InstanceLookup | undefined>;
  runtime(): WorkflowRuntime;
}

interface Labelled {
  instanceId?: string;
  elementId?: string;
  type: string;
  data?: Record<string, unknown>;
}

/** `<key>:<version>` of a `definition.deployed` entry's definition. */
function deployedDefinition(e: Labelled): { key: string; version: number } | undefined {
  const id = e.type === 'definition.deployed' ? e.data?.definitionId : undefined;
  const m = typeof id === 'string' ? /^(.+):(\d+)$/.exec(id) : null;
  return m ? { key: m[1]!, version: Number(m[2]) } : undefined;
}

/**
 * Adds to each audit entry what a person needs besides its ids: the instance's reference and process name and
 * the step's name in Dari and English. Everything is read from memory (the instance index and the models the
 * runtime compiled once per version): no read per entry. An entry whose instance or model is unknown keeps
 * only its ids.
 */
export async function labelAuditEntries<T extends Labelled>(
  entries: readonly T[],
  sources: AuditLabelSources,
): Promise<Array<T & AuditLabels>> {
  if (!entries.length) return [];
  const index = await sources.instanceIndex().catch(() => undefined);
  const models = new Map<string, Promise<ProcessModelInfo | undefined>>();
  const modelOf = (key: string, version: number) => {
    const id = `${key}:${version}`;
    let model = models.get(id);
    if (!model) {
      model = sources
        .runtime()
        .getProcessModel(key, version)
        .catch(() => undefined);
      models.set(id, model);
    }
    return model;
  };
  return Promise.all(
    entries.map(async (e) => {
      const instance: Pick<InstanceEntry, 'key' | 'version' | 'businessKey'> | undefined = e.instanceId
        ? index?.get(e.instanceId)
        : deployedDefinition(e);
      if (!instance) return { ...e };
      const model = await modelOf(instance.key, instance.version);
      const labels: AuditLabels = { processKey: instance.key };
      if (instance.businessKey) labels.reference = instance.businessKey;
      if (model) labels.processName = model.name;
      const step = e.elementId
        ? (model?.stepNames?.[e.elementId] ?? model?.userTasks.find((t) => t.id === e.elementId)?.name)
        : undefined;
      if (step) labels.stepName = step;
      return { ...e, ...labels };
    }),
  );
}

/** The verification with its broken entry labelled like the trail's entries. */
export async function withBrokenEntryLabels<T extends { brokenEntry?: Labelled }>(
  verification: T,
  sources: AuditLabelSources,
): Promise<T> {
  if (!verification.brokenEntry) return verification;
  const [brokenEntry] = await labelAuditEntries([verification.brokenEntry], sources);
  return { ...verification, brokenEntry };
}

/**
 * The instance an auditor's "instance" filter names: its id, or else its reference (`POL-1405-001`, found in the
 * in-memory index), so a person can search by what the desk shows them.
 */
export async function instanceIdOf(idOrReference: string, sources: AuditLabelSources): Promise<string> {
  const index = await sources.instanceIndex().catch(() => undefined);
  if (!index || index.get(idOrReference)) return idOrReference;
  return index.search({ businessKey: idOrReference, limit: 1 }).items[0]?.id ?? idOrReference;
}
