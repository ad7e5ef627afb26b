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
import { withBrokenEntryLabels } from './audit-labels.js';
import { openTaskFor } from './open-task.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn, type BpmnBody } from './typed-handler.js';
import { taskClaims } from '../policy/task-claims.js';
import {
  assertMayWork,
  canSeeTask,
  isOfferedTo,
  readableInstance,
  readsEverything,
} from '../policy/visibility.js';
import { perItem } from './per-item.js';
import { checkFormFiles, taskFormSchema } from '../documents/form-files.js';
import { addComment, commentViews } from './comment-handlers.js';
import { draftHandlers } from './draft-handlers.js';
import { assertLintClean } from './model-lint-context.js';
import { closeDeployedDrafts } from './form-draft-handlers.js';
import type { InstanceLink, InstanceSummary } from '../engine/types.js';

/** A bulk task action's entry: `{ taskId, ok, task | error }`. */
const TASK_ENTRY = { id: 'taskId', value: 'task' };

/** A task the actor may see, or 403 (404 when it does not exist). */
async function visibleTask(runtime: WorkflowRuntime, id: string, actor: Actor): Promise<TaskRecord> {
  const task = await runtime.getTask(id);
  if (!canSeeTask(task, actor)) throw new AppError('RV_ERR_FORBIDDEN');
  return task;
}

/** A deployment's BPMN text and the forms it carries (plain BPMN carries none). */
function deploymentOf(body: BpmnBody): Exclude<BpmnBody, string> {
  return typeof body === 'string' ? { xml: body } : body;
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
    // a form's file fields name documents of this instance only
    if (task.formKey) {
      const formKey = task.formKey;
      const schema = await taskFormSchema(
        { formsDir: deps.formsDir, deployedForms: (key, version) => rt().definitionForms(key, version) },
        { ...task, formKey },
      );
      if (schema) await checkFormFiles(deps.documents, { key: formKey, schema }, task.instanceId, data);
    }
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
    listDefinitions: signedIn('listDefinitions', async () => ({
      items: await deps.processRules.withAttributes(await rt().listDefinitions()),
    })),
    listVersions: signedIn('listVersions', async ({ params: { key } }) => {
      const items = await rt().listVersions(key);
      if (items.length === 0) throw new AppError('RV_ERR_DEFINITION_NOT_FOUND');
      return { items: await deps.processRules.withAttributes(items) };
    }),
    getDefinitionXml: signedIn('getDefinitionXml', async ({ params: { key, version }, res }) => {
      const xml = await rt().getDefinitionXml(key, version);
      res.status(200).type('application/xml').send(xml);
    }),
    deployDefinition: signedIn('deployDefinition', async ({ body, actor, res }) => {
      const { xml, forms } = deploymentOf(body);
      await assertLintClean(deps, xml, forms);
      const result = await rt().deploy(xml, actor, forms);
      await closeDeployedDrafts(deps.formDrafts, forms);
      res.status(result.created ? 201 : 200).json(result);
    }),
    validateDefinition: signedIn('validateDefinition', async ({ body }) => {
      const { xml, forms } = deploymentOf(body);
      const lint = await assertLintClean(deps, xml, forms);
      return { ...(await rt().validate(xml, forms)), lint };
    }),
    ...draftHandlers(deps),

    // instances
    listStartable: signedIn('listStartable', async ({ actor }) => ({
      items: await deps.processRules.startable(actor),
    })),
    startInstance: signedIn('startInstance', async ({ body, actor }) => deps.processRules.start(body, actor)),
    listInstances: signedIn('listInstances', async ({ query: { status, q, sort, ...rest } }) => {
      const filter: InstanceFilter = { ...rest, sort };
      if (status) filter.status = status.split(',') as InstanceStatus[];
      if (q?.trim()) {
        const needle = q.trim().toLowerCase();
        filter.q = q;
        filter.textKeys = (await rt().listDefinitions())
          .filter((d) => d.name.fa.toLowerCase().includes(needle) || d.name.en.toLowerCase().includes(needle))
          .map((d) => d.key);
      }
      return rt().listInstances(filter);
    }),
    getInstance: signedIn('getInstance', async ({ params: { id }, actor }) => {
      const instance = await readableInstance(rt(), id, actor);
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
    }),
    getInstanceAudit: signedIn('getInstanceAudit', async ({ params: { id } }) => {
      await rt().getInstance(id);
      return { items: await rt().auditTrail(id) };
    }),
    cancelInstance: signedIn('cancelInstance', async ({ params: { id }, body: { reason }, actor }) =>
      rt().cancel(id, reason, actor),
    ),
    suspendInstance: signedIn('suspendInstance', async ({ params: { id }, actor }) =>
      rt().suspend(id, actor),
    ),
    resumeInstance: signedIn('resumeInstance', async ({ params: { id }, actor }) => rt().resume(id, actor)),
    retryInstance: signedIn('retryInstance', async ({ params: { id }, actor }) => rt().retry(id, actor)),
    migrateInstance: signedIn('migrateInstance', async ({ params: { id }, body: { toVersion }, actor }) =>
      rt().migrate(id, toVersion, actor),
    ),

    // tasks
    listTasks: signedIn('listTasks', async ({ query: q, actor }) => {
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
    }),
    getTask: signedIn('getTask', async ({ params: { id }, actor }) =>
      deps.processRules.withRule(await visibleTask(rt(), id, actor)),
    ),
    claimTask: signedIn('claimTask', async ({ params: { id }, actor }) => claim(id, actor)),
    unclaimTask: signedIn('unclaimTask', async ({ params: { id }, actor }) => {
      const task = await openTaskFor(rt(), id, actor);
      const overrides = taskClaims.mayReleaseOthers(actor);
      if (task.assignee !== actor.id && !overrides) throw new AppError('RV_ERR_TASK_CLAIMED');
      return rt().unclaimTask(task.id, actor);
    }),
    assignTask: signedIn('assignTask', async ({ params: { id }, body: { assignee }, actor }) =>
      assign(id, assignee, actor),
    ),
    completeTask: signedIn('completeTask', async ({ params: { id }, body: { data }, actor }) =>
      complete(id, data, actor),
    ),
    listComments: signedIn('listComments', async ({ params: { id }, actor }) => {
      // comments belong to the instance: every task of it shows them all
      const task = await visibleTask(rt(), id, actor);
      const records = await deps.comments.forInstance(task.instanceId);
      return { items: await commentViews(deps, task.instanceId, records) };
    }),
    addComment: signedIn('addComment', async ({ params: { id }, body: { text }, actor }) => {
      const task = await visibleTask(rt(), id, actor);
      return addComment(deps, { taskId: task.id, instanceId: task.instanceId, author: actor.id, text });
    }),
    bulkClaim: signedIn('bulkClaim', async ({ body: { taskIds }, actor }) =>
      perItem(
        taskIds,
        TASK_ENTRY,
        (id) => id,
        (id) => claim(id, actor),
      ),
    ),
    bulkAssign: signedIn('bulkAssign', async ({ body: { taskIds, assignee }, actor }) =>
      perItem(
        taskIds,
        TASK_ENTRY,
        (id) => id,
        (id) => assign(id, assignee, actor),
      ),
    ),
    bulkComplete: signedIn('bulkComplete', async ({ body: { items }, actor }) =>
      perItem(
        items,
        TASK_ENTRY,
        (i) => i.taskId,
        (i) => complete(i.taskId, i.data, actor),
      ),
    ),

    // messages and signals
    correlateMessage: signedIn('correlateMessage', async ({ body, actor }) =>
      rt().correlateMessage(body, actor),
    ),
    sendSignal: signedIn('sendSignal', async ({ body: { name, variables }, actor }) =>
      rt().signal(name, variables ?? {}, actor),
    ),

    // audit
    async verifyAudit() {
      // entries of the last commands first, so that a check right after an action covers it
      await rt().settled();
      return withBrokenEntryLabels(await deps.auditVerifier().verify(), deps);
    },
    async startAuditVerification() {
      return withBrokenEntryLabels(await deps.auditVerifier().verifyAll(), deps);
    },
  };
}
