import { AppError } from '../app-error.js';
import type {
  Actor,
  InstanceFilter,
  InstanceStatus,
  TaskFilter,
  TaskRecord,
  WorkflowRuntime,
} from '../engine/types.js';
import type { ApiDeps } from './api-deps.js';
import { openTaskFor } from './open-task.js';
import type { RouteHandler } from './route-kit.js';
import { taskClaims } from '../policy/task-claims.js';
import {
  assertMayWork,
  canSeeTask,
  isOfferedTo,
  readableInstance,
  readsEverything,
} from '../policy/visibility.js';
import { perItem } from './per-item.js';
import { addComment, commentViews } from './comment-handlers.js';
import { draftHandlers } from './draft-handlers.js';
import { assertLintClean } from './model-lint-context.js';
import type { InstanceLink, InstanceSort, InstanceSummary } from '../engine/types.js';

type IdParams = { id: string };

/** A bulk task action's entry: `{ taskId, ok, task | error }`. */
const TASK_ENTRY = { id: 'taskId', value: 'task' };

/** A task the actor may see, or 403 (404 when it does not exist). */
async function visibleTask(runtime: WorkflowRuntime, id: string, actor: Actor): Promise<TaskRecord> {
  const task = await runtime.getTask(id);
  if (!canSeeTask(task, actor)) throw new AppError('RV_ERR_FORBIDDEN');
  return task;
}

/** Definitions, instances, tasks, messages and audit: thin calls into the WorkflowRuntime facade. */
export function engineHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const rt = () => deps.runtime();

  async function claim(id: string, actor: Actor) {
    const task = await openTaskFor(rt(), id, actor);
    assertMayWork(task, actor);
    await deps.processRules.assertNotBarred(task, actor.id);
    return rt().claimTask(id, actor);
  }

  async function assign(id: string, assignee: string | null, actor: Actor) {
    const task = await openTaskFor(rt(), id, actor);
    // readers of everything with a working role (admin, manager) assign any task; staff delegate their own
    const manages = readsEverything(actor) && actor.roles.some((r) => r === 'admin' || r === 'manager');
    if (!manages) assertMayWork(task, actor);
    if (assignee !== null) {
      const user = await deps.users.get(assignee);
      if (!user || !user.active) throw new AppError('RV_ERR_USER_NOT_FOUND', { assignee });
      // staff delegate only to someone the task is offered to anyway: delegation never widens who may work it
      if (!manages && !isOfferedTo({ ...task, assignee: undefined }, user))
        throw new AppError('RV_ERR_FORBIDDEN', { assignee });
      // nobody, a manager neither, hands a task to someone the four-eyes rule keeps off it
      await deps.processRules.assertNotBarred(task, assignee);
    }
    return rt().assignTask(id, assignee, actor);
  }

  async function complete(id: string, data: Record<string, unknown>, actor: Actor) {
    const task = await openTaskFor(rt(), id, actor);
    assertMayWork(task, actor);
    await deps.processRules.assertNotBarred(task, actor.id);
    return rt().completeTask(id, data, actor);
  }

  /** A short link to an instance (parent or child), named by its process. */
  async function linkOf(instance: InstanceSummary): Promise<InstanceLink> {
    const def = (await rt().listVersions(instance.key)).find((d) => d.version === instance.version);
    const link: InstanceLink = {
      id: instance.id,
      key: instance.key,
      version: instance.version,
      name: def?.name ?? { fa: instance.key, en: instance.key },
      status: instance.status,
    };
    if (instance.businessKey) link.businessKey = instance.businessKey;
    return link;
  }

  return {
    // definitions
    async listDefinitions() {
      return { items: await deps.processRules.withAttributes(await rt().listDefinitions()) };
    },
    async listVersions({ params }) {
      const { key } = params as unknown as { key: string };
      const items = await rt().listVersions(key);
      if (items.length === 0) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND');
      return { items: await deps.processRules.withAttributes(items) };
    },
    async getDefinitionXml({ params, res }) {
      const { key, version } = params as unknown as { key: string; version: number };
      const xml = await rt().getDefinitionXml(key, version);
      res.status(200).type('application/xml').send(xml);
    },
    async deployDefinition({ body, principal, res }) {
      await assertLintClean(deps, body as string);
      const result = await rt().deploy(body as string, principal!.actor);
      res.status(result.created ? 201 : 200).json(result);
    },
    async validateDefinition({ body }) {
      const lint = await assertLintClean(deps, body as string);
      return { ...(await rt().validate(body as string)), lint };
    },
    ...draftHandlers(deps),

    // instances
    async listStartable({ principal }) {
      return { items: await deps.processRules.startable(principal!.actor) };
    },
    async startInstance({ body, principal }) {
      return deps.processRules.start(body as Parameters<WorkflowRuntime['start']>[0], principal!.actor);
    },
    async listInstances({ query }) {
      const { status, q, sort, ...rest } = query as Omit<InstanceFilter, 'status'> & {
        status?: string;
        sort?: InstanceSort;
      };
      const filter: InstanceFilter = { ...rest, ...(sort ? { sort } : {}) };
      if (status) filter.status = status.split(',') as InstanceStatus[];
      if (q?.trim()) {
        const needle = q.trim().toLowerCase();
        filter.q = q;
        filter.textKeys = (await rt().listDefinitions())
          .filter((d) => d.name.fa.toLowerCase().includes(needle) || d.name.en.toLowerCase().includes(needle))
          .map((d) => d.key);
      }
      return rt().listInstances(filter);
    },
    async getInstance({ params, principal }) {
      const { id } = params as unknown as IdParams;
      const instance = await readableInstance(rt(), id, principal!.actor);
      const [open, history, comments, children, parent] = await Promise.all([
        rt().listTasks({ instanceId: id, limit: 200 }),
        rt().taskHistory(id),
        deps.comments.forInstance(id).then((c) => commentViews(deps, id, c)),
        rt().listInstances({ parentId: id, sort: 'startedAt', limit: 200 }),
        instance.parentId
          ? rt()
              .getInstance(instance.parentId)
              .catch(() => undefined)
          : undefined,
      ]);
      const tokens = new Map<string, number>();
      for (const w of instance.waiting) tokens.set(w.elementId, (tokens.get(w.elementId) ?? 0) + 1);
      return {
        instance,
        openTasks: open.items,
        tokens: [...tokens].map(([elementId, count]) => ({ elementId, count })),
        history,
        comments,
        ...(parent ? { parent: await linkOf(parent) } : {}),
        children: await Promise.all(children.items.map((c) => linkOf(c))),
      };
    },
    async getInstanceAudit({ params }) {
      const { id } = params as unknown as IdParams;
      await rt().getInstance(id);
      return { items: await rt().auditTrail(id) };
    },
    async cancelInstance({ params, body, principal }) {
      const { id } = params as unknown as IdParams;
      return rt().cancel(id, (body as { reason: string }).reason, principal!.actor);
    },
    async suspendInstance({ params, principal }) {
      return rt().suspend((params as unknown as IdParams).id, principal!.actor);
    },
    async resumeInstance({ params, principal }) {
      return rt().resume((params as unknown as IdParams).id, principal!.actor);
    },
    async retryInstance({ params, principal }) {
      return rt().retry((params as unknown as IdParams).id, principal!.actor);
    },
    async migrateInstance({ params, body, principal }) {
      const { toVersion } = body as { toVersion: number };
      return rt().migrate((params as unknown as IdParams).id, toVersion, principal!.actor);
    },

    // tasks
    async listTasks({ query, principal }) {
      const actor = principal!.actor;
      const q = query as {
        view: 'visible' | 'mine' | 'group' | 'overdue' | 'all';
        key?: string;
        instanceId?: string;
        sort?: TaskFilter['sort'];
        q?: string;
        dueBy?: string;
        minPriority?: number;
        skip: number;
        limit: number;
      };
      const all = readsEverything(actor);
      if (q.view === 'all' && !all) throw new AppError('RV_ERR_FORBIDDEN');
      const filter: TaskFilter = {
        key: q.key,
        instanceId: q.instanceId,
        text: q.q,
        dueBy: q.dueBy,
        minPriority: q.minPriority,
        sort: q.sort,
        skip: q.skip,
        limit: q.limit,
      };
      if (q.view === 'mine') filter.assignee = actor.id;
      if (q.view === 'group') {
        filter.unclaimed = true;
        filter.visibleTo = actor;
      }
      if (q.view === 'overdue') filter.overdueAt = new Date().toISOString();
      if ((q.view === 'visible' || q.view === 'overdue') && !all) filter.visibleTo = actor;
      // the four-eyes rule: what the actor may not do is not offered (a reader of everything still sees it in `all`)
      if (q.view !== 'all') {
        const barred = await deps.processRules.barredTaskIds(actor);
        if (barred.length) filter.excludeIds = barred;
      }
      const page = await rt().listTasks(filter);
      return { ...page, items: await Promise.all(page.items.map((t) => deps.processRules.withRule(t))) };
    },
    async getTask({ params, principal }) {
      return deps.processRules.withRule(
        await visibleTask(rt(), (params as unknown as IdParams).id, principal!.actor),
      );
    },
    async claimTask({ params, principal }) {
      return claim((params as unknown as IdParams).id, principal!.actor);
    },
    async unclaimTask({ params, principal }) {
      const actor = principal!.actor;
      const task = await openTaskFor(rt(), (params as unknown as IdParams).id, actor);
      const overrides = taskClaims.mayReleaseOthers(actor);
      if (task.assignee !== actor.id && !overrides) throw new AppError('RV_ERR_TASK_CLAIMED');
      return rt().unclaimTask(task.id, actor);
    },
    async assignTask({ params, body, principal }) {
      return assign(
        (params as unknown as IdParams).id,
        (body as { assignee: string | null }).assignee,
        principal!.actor,
      );
    },
    async completeTask({ params, body, principal }) {
      return complete(
        (params as unknown as IdParams).id,
        (body as { data: Record<string, unknown> }).data,
        principal!.actor,
      );
    },
    async listComments({ params, principal }) {
      // comments belong to the instance: every task of it shows them all
      const task = await visibleTask(rt(), (params as unknown as IdParams).id, principal!.actor);
      const records = await deps.comments.forInstance(task.instanceId);
      return { items: await commentViews(deps, task.instanceId, records) };
    },
    async addComment({ params, body, principal }) {
      const task = await visibleTask(rt(), (params as unknown as IdParams).id, principal!.actor);
      return addComment(deps, {
        taskId: task.id,
        instanceId: task.instanceId,
        author: principal!.actor.id,
        text: (body as { text: string }).text,
      });
    },
    async bulkClaim({ body, principal }) {
      const { taskIds } = body as { taskIds: string[] };
      return perItem(
        taskIds,
        TASK_ENTRY,
        (id) => id,
        (id) => claim(id, principal!.actor),
      );
    },
    async bulkAssign({ body, principal }) {
      const { taskIds, assignee } = body as { taskIds: string[]; assignee: string | null };
      return perItem(
        taskIds,
        TASK_ENTRY,
        (id) => id,
        (id) => assign(id, assignee, principal!.actor),
      );
    },
    async bulkComplete({ body, principal }) {
      const { items } = body as { items: { taskId: string; data: Record<string, unknown> }[] };
      return perItem(
        items,
        TASK_ENTRY,
        (i) => i.taskId,
        (i) => complete(i.taskId, i.data, principal!.actor),
      );
    },

    // messages and signals
    async correlateMessage({ body, principal }) {
      return rt().correlateMessage(
        body as Parameters<WorkflowRuntime['correlateMessage']>[0],
        principal!.actor,
      );
    },
    async sendSignal({ body, principal }) {
      const { name, variables } = body as { name: string; variables?: Record<string, unknown> };
      return rt().signal(name, variables ?? {}, principal!.actor);
    },

    // audit
    async verifyAudit() {
      // entries of the last commands first, so that a check right after an action covers it
      await rt().settled();
      return deps.auditVerifier().verify();
    },
    async startAuditVerification() {
      return deps.auditVerifier().verifyAll();
    },
  };
}
