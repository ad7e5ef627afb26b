import { AppError } from '../app-error.js';
import type { CounterStore } from '../engine/stores.js';
import type {
  Actor,
  Capabilities,
  DefinitionSummary,
  StartableProcess,
  StartResult,
  TaskHistoryRecord,
  TaskRecord,
  WorkflowRuntime,
} from '../engine/types.js';
import { FormRegistry } from '../engine/forms.js';
import type { ProcessModelInfo } from '../engine/process-attributes.js';
import { mayStart } from '../engine/starters.js';
import { nextReference, referencePreview } from '../engine/reference-pattern.js';
import { barredUsers } from '../engine/separation-of-duties.js';
import { solarHijriYear } from '../engine/calendar.js';
import type { GroupRecord, GroupsPort } from '../ports/groups-port.js';
import { AUDITOR_ROLES, DASHBOARD_ROLES, MODELLER_ROLES, READ_ALL_ROLES } from '../policy/access-matrix.js';
import { isOfferedTo } from '../policy/visibility.js';

export interface ProcessRulesDeps {
  runtime(): WorkflowRuntime;
  groups: GroupsPort;
  counters: CounterStore;
  formsDir: string;
  now?: () => Date;
}

/** A deployed definition with what Ravand reads from its model. */
export interface ModelledDefinition {
  definition: DefinitionSummary;
  model: ProcessModelInfo;
}

interface Performers {
  startedBy: string;
  history: TaskHistoryRecord[];
}

/** Group kinds an instance's directorate may be. */
const OFFICE_KINDS = new Set(['directorate', 'unit', 'leadership']);

/**
 * The office's rules read from the deployed models: who may start what (starters, start forms, references), what a
 * user can do (capabilities), and the four-eyes rule on tasks. Models come from the runtime's compiled definitions.
 */
export class ProcessRules {
  private readonly forms: FormRegistry;
  private groupCache: { at: number; byId: Map<string, GroupRecord> } | undefined;
  /** Per instance: its starter and task history, for the four-eyes rule (dropped when a task of it ends). */
  private readonly performers = new Map<string, Promise<Performers>>();
  /** Bumped per instance when a task of it ends, so a read that was under way then is not kept. */
  private readonly generation = new Map<string, number>();
  private watching: WorkflowRuntime | undefined;
  private definitions: { list: Promise<DefinitionSummary[]>; until: number } | undefined;

  constructor(private readonly deps: ProcessRulesDeps) {
    this.forms = new FormRegistry(deps.formsDir);
  }

  /** Makes the forms deployed with this version (a start form designed by a manager) known to the registry. */
  private async useDeployedForms(def: Pick<DefinitionSummary, 'id' | 'key' | 'version' | 'formKeys'>) {
    if (def.formKeys?.length)
      this.forms.useDeployed(def.id, await this.deps.runtime().definitionForms(def.key, def.version));
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The model info of one deployed version (read by the definition compiler, cached by the runtime). */
  model(def: Pick<DefinitionSummary, 'id' | 'key' | 'version'>): Promise<ProcessModelInfo> {
    return this.deps.runtime().getProcessModel(def.key, def.version);
  }

  /** The latest version of every deployed process, with its model. */
  async latest(): Promise<ModelledDefinition[]> {
    const defs = await this.latestDefinitions();
    return Promise.all(defs.map(async (definition) => ({ definition, model: await this.model(definition) })));
  }

  /** Definitions with their `attributes` (starters, start form, pattern, owner, four-eyes rules). */
  async withAttributes(defs: DefinitionSummary[]): Promise<DefinitionSummary[]> {
    return Promise.all(defs.map(async (d) => ({ ...d, attributes: (await this.model(d)).attributes })));
  }

  /** The processes the actor may start, for the start page. */
  async startable(actor: Actor): Promise<StartableProcess[]> {
    const year = solarHijriYear(this.now());
    const out: StartableProcess[] = [];
    for (const { definition: d, model } of await this.latest()) {
      if (!mayStart(model.attributes, actor)) continue;
      const item: StartableProcess = { definitionId: d.id, key: d.key, version: d.version, name: d.name };
      const formKey = model.attributes.startFormKey;
      if (formKey) await this.useDeployedForms(d);
      if (formKey && this.forms.has(formKey, d.id)) {
        item.startFormKey = formKey;
        item.startForm = this.forms.schema(formKey, d.id);
      }
      const pattern = model.attributes.referencePattern;
      if (pattern) {
        item.referencePattern = pattern;
        item.referencePreview = referencePreview(pattern, year);
      }
      out.push(item);
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  private async groupsById(): Promise<Map<string, GroupRecord>> {
    if (!this.groupCache || Date.now() - this.groupCache.at > 10_000)
      this.groupCache = {
        at: Date.now(),
        byId: new Map((await this.deps.groups.list()).map((g) => [g.id, g])),
      };
    return this.groupCache.byId;
  }

  /** The latest definitions, remembered for a second (a deployment here forgets them at once). */
  private latestDefinitions(): Promise<DefinitionSummary[]> {
    const rt = this.deps.runtime();
    this.watch(rt);
    if (!this.definitions || this.definitions.until < Date.now()) {
      const list = rt.listDefinitions();
      this.definitions = { list, until: Date.now() + 1000 };
      list.catch(() => (this.definitions = undefined));
    }
    return this.definitions.list;
  }

  /** The definition a start asks for: the given version or the latest. */
  private async definitionFor(key: string, version?: number): Promise<DefinitionSummary> {
    const rt = this.deps.runtime();
    if (version === undefined) {
      const def = (await this.latestDefinitions()).find((d) => d.key === key);
      if (!def) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key });
      return def;
    }
    const def = (await rt.listVersions(key)).find((d) => d.version === version);
    if (!def) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND', { key, version });
    return def;
  }

  /**
   * `POST /api/instances`: starters enforced, variables checked against the start form, the reference made
   * from the process's pattern when none is given, the directorate and province worked out; returns the
   * instance and its first open task when that is the starter's to do.
   */
  async start(
    request: { key: string; version?: number; businessKey?: string; variables?: Record<string, unknown> },
    actor: Actor,
  ): Promise<StartResult> {
    const def = await this.definitionFor(request.key, request.version);
    const model = await this.model(def);
    if (!mayStart(model.attributes, actor))
      throw new AppError('RV_ERR_NOT_A_STARTER', {
        key: def.key,
        starterGroups: model.attributes.starterGroups,
      });
    const variables = request.variables ?? {};
    if (model.attributes.startFormKey) {
      await this.useDeployedForms(def);
      this.forms.validate(model.attributes.startFormKey, variables, def.id);
    }
    let businessKey = request.businessKey;
    if (!businessKey && model.attributes.referencePattern)
      businessKey = await nextReference(def.key, model.attributes.referencePattern, this.now(), (name) =>
        this.deps.counters.next(name),
      );
    const groups = await this.groupsById();
    const mine = actor.groups.map((g) => groups.get(g)).filter((g): g is GroupRecord => !!g);
    const directorate = model.attributes.ownerGroup ?? mine.find((g) => OFFICE_KINDS.has(g.kind))?.id;
    const province =
      typeof variables.province === 'string' && /^[a-z]{3}$/.test(variables.province)
        ? variables.province
        : mine.find((g) => g.kind === 'province')?.province;
    const rt = this.deps.runtime();
    const instance: StartResult = await rt.start(
      {
        key: def.key,
        version: def.version,
        variables,
        ...(businessKey ? { businessKey } : {}),
        ...(directorate ? { directorate } : {}),
        ...(province ? { province } : {}),
      },
      actor,
    );
    // the open user tasks are the instance's waits (task id = `<instanceId>:<executionId>`): read only those
    for (const w of instance.waiting) {
      if (!w.type.endsWith('UserTask')) continue;
      const task = await rt.getTask(`${instance.id}:${w.executionId}`).catch(() => undefined);
      if (!task || !isOfferedTo(task, actor) || (task.assignee && task.assignee !== actor.id)) continue;
      if (await this.isBarred(task, actor)) continue;
      instance.firstTaskId = task.id;
      break;
    }
    return instance;
  }

  /** Drops an instance's cached performers when one of its tasks ends (subscribed once per runtime). */
  private watch(rt: WorkflowRuntime): void {
    if (this.watching === rt) return;
    this.watching = rt;
    const drop = (p: { task: TaskHistoryRecord }) => {
      const id = p.task.instanceId;
      this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
      this.performers.delete(id);
    };
    rt.events.on('task.completed', drop);
    rt.events.on('task.cancelled', drop);
    rt.events.on('definition.deployed', () => (this.definitions = undefined));
  }

  /** The instance's starter and task history, read once until a task of it ends. */
  private performersOf(instanceId: string): Promise<Performers> {
    const rt = this.deps.runtime();
    this.watch(rt);
    const hit = this.performers.get(instanceId);
    if (hit) return hit;
    const generation = this.generation.get(instanceId) ?? 0;
    const read = Promise.all([rt.getInstance(instanceId), rt.taskHistory(instanceId)]).then(
      ([instance, history]) => ({ startedBy: instance.startedBy, history }),
    );
    this.performers.set(instanceId, read);
    void read.then(
      () => {
        // a task ended while this read was under way: it may miss that performer, so it is not kept
        if ((this.generation.get(instanceId) ?? 0) !== generation && this.performers.get(instanceId) === read)
          this.performers.delete(instanceId);
      },
      () => this.performers.delete(instanceId),
    );
    if (this.performers.size > 20_000) this.performers.delete(this.performers.keys().next().value!);
    if (this.generation.size > 20_000) this.generation.delete(this.generation.keys().next().value!);
    return read;
  }

  /** The users the four-eyes rule keeps off this task (empty when its model names no rule). */
  async barredFrom(task: TaskRecord): Promise<Set<string>> {
    const model = await this.model({
      id: `${task.definitionKey}:${task.definitionVersion}`,
      key: task.definitionKey,
      version: task.definitionVersion,
    });
    const rule = model.attributes.separateFrom[task.elementId];
    if (!rule?.length) return new Set();
    const { startedBy, history } = await this.performersOf(task.instanceId);
    return barredUsers(rule, { startedBy }, history, model.startEventIds);
  }

  async isBarred(task: TaskRecord, actor: Actor): Promise<boolean> {
    return (await this.barredFrom(task)).has(actor.id);
  }

  /** Throws 403 RV_ERR_SEPARATION_OF_DUTIES when the four-eyes rule keeps `userId` off the task. */
  async assertNotBarred(task: TaskRecord, userId: string): Promise<void> {
    if ((await this.barredFrom(task)).has(userId))
      throw new AppError('RV_ERR_SEPARATION_OF_DUTIES', { taskId: task.id, elementId: task.elementId });
  }

  /** The four-eyes rule of a task, for its record (`separateFrom`). */
  async withRule<T extends TaskRecord>(task: T): Promise<T> {
    const model = await this.model({
      id: `${task.definitionKey}:${task.definitionVersion}`,
      key: task.definitionKey,
      version: task.definitionVersion,
    }).catch(() => undefined);
    const rule = model?.attributes.separateFrom[task.elementId];
    return rule?.length ? { ...task, separateFrom: rule } : task;
  }

  /** Ids of the open tasks offered to the actor that the four-eyes rule keeps from them (for the inbox). */
  async barredTaskIds(actor: Actor): Promise<string[]> {
    const ruled = new Set<string>();
    for (const { model } of await this.latest())
      for (const id of Object.keys(model.attributes.separateFrom)) ruled.add(id);
    if (ruled.size === 0) return [];
    const rt = this.deps.runtime();
    const out: string[] = [];
    for (let skip = 0; ; skip += 500) {
      const page = await rt.listTasks({ visibleTo: actor, elementIds: [...ruled], skip, limit: 500 });
      for (const task of page.items) if (await this.isBarred(task, actor)) out.push(task.id);
      if (skip + page.items.length >= page.total || page.items.length === 0) break;
    }
    return out;
  }

  /** What the user can do (the client's navigation); role-only answers while the engine is not up. */
  async capabilities(actor: Actor): Promise<Capabilities> {
    const has = (roles: readonly string[]) => actor.roles.some((r) => roles.includes(r));
    const caps: Capabilities = {
      canStart: false,
      hasInbox: actor.roles.includes('admin'),
      canModel: has(MODELLER_ROLES),
      canDashboard: has(DASHBOARD_ROLES),
      canAudit: has(AUDITOR_ROLES),
      canSearch: has(READ_ALL_ROLES),
    };
    let latest: ModelledDefinition[];
    try {
      latest = await this.latest();
    } catch {
      return caps;
    }
    caps.canStart = latest.some(({ model }) => mayStart(model.attributes, actor));
    if (!caps.hasInbox && !actor.roles.every((r) => r === 'auditor')) {
      const groups = await this.groupsById();
      // a computed group (`="province-" + province`, `=department`) can land on any office or province
      const inOffice = actor.groups.some((g) => groups.get(g) && groups.get(g)!.kind !== 'leadership');
      caps.hasInbox = latest.some(({ model }) =>
        model.userTasks.some(
          (t) =>
            t.candidateUsers.includes(actor.id) ||
            t.candidateGroups.some((g) => actor.groups.includes(g)) ||
            (t.dynamic.length > 0 && inOffice),
        ),
      );
    }
    if (!caps.hasInbox) {
      const open = await this.deps.runtime().listTasks({ visibleTo: actor, limit: 1 });
      caps.hasInbox = open.total > 0;
    }
    return caps;
  }

  /** True when the task is offered to the actor and the four-eyes rule lets them do it. */
  async mayWork(task: TaskRecord, actor: Actor): Promise<boolean> {
    return isOfferedTo(task, actor) && !(await this.isBarred(task, actor));
  }
}
