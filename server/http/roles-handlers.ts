import { AppError } from '../app-error.js';
import { auditCsvHeader, auditCsvRow, matchesAudit, type AuditFilter } from '../engine/audit-search.js';
import type {
  Actor,
  AuditEvent,
  BulkInstanceResult,
  CommentView,
  InstanceSummary,
  WorkflowRuntime,
} from '../engine/types.js';
import type { CommentRecord } from '../persistence/comment-store.js';
import { rooms } from '../../schemas/events.js';
import type { ErrorBody } from '../../schemas/errors.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';
import { canReadInstance } from '../policy/visibility.js';

type IdParams = { id: string };

/** The instance, or 403 when the actor may not read it (404 when it does not exist). */
export async function readableInstance(
  runtime: WorkflowRuntime,
  id: string,
  actor: Actor,
): Promise<InstanceSummary> {
  const instance = await runtime.getInstance(id);
  if (!(await canReadInstance(runtime, instance, actor))) throw new AppError('RV_ERR_FORBIDDEN');
  return instance;
}

/** Comments as the client shows them: with the task's name and the author's name in both languages. */
export async function commentViews(deps: ApiDeps, instanceId: string, records: CommentRecord[]) {
  if (records.length === 0) return [];
  const rt = deps.runtime();
  const [open, history] = await Promise.all([
    rt.listTasks({ instanceId, limit: 500 }),
    rt.taskHistory(instanceId),
  ]);
  const taskNames = new Map([...history, ...open.items].map((t) => [t.id, t.name]));
  const authors = new Map<string, { fa: string; en: string }>();
  for (const id of new Set(records.map((r) => r.author))) {
    const user = await deps.users.get(id);
    authors.set(id, user?.name ?? { fa: id, en: id });
  }
  return records.map((r): CommentView => {
    const view: CommentView = {
      id: r.id,
      instanceId: r.instanceId,
      author: r.author,
      authorName: authors.get(r.author)!,
      text: r.text,
      at: r.at,
    };
    if (r.taskId) {
      view.taskId = r.taskId;
      const name = taskNames.get(r.taskId);
      if (name) view.taskName = name;
    }
    return view;
  });
}

/** Adds a comment to an instance, publishes `comment:added` to its room, returns the view. */
export async function addComment(
  deps: ApiDeps,
  comment: { instanceId: string; taskId?: string; author: string; text: string },
): Promise<CommentView> {
  const record = await deps.comments.add(comment);
  const [view] = await commentViews(deps, comment.instanceId, [record]);
  void deps.eventLog.publish('comment:added', [rooms.instance(comment.instanceId)], { comment: view! });
  return view!;
}

function errorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  return new AppError('RV_ERR_INTERNAL').toBody();
}

/** Runs one action per instance, a few at a time; each succeeds or fails on its own, order kept. */
async function perInstance(
  ids: string[],
  work: (id: string) => Promise<InstanceSummary>,
  concurrency = 4,
): Promise<BulkInstanceResult> {
  const results: BulkInstanceResult['results'] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const instanceId = ids[index]!;
      try {
        results[index] = { instanceId, ok: true, instance: await work(instanceId) };
      } catch (err) {
        results[index] = { instanceId, ok: false, error: errorBody(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}

/** The audit entries that fit the filter, oldest first (one instance's trail, or a scan of the chain). */
async function* auditEntries(deps: ApiDeps, filter: AuditFilter): AsyncIterable<AuditEvent> {
  await deps.runtime().settled();
  const source = filter.instanceId
    ? await deps.auditReader.byInstance(filter.instanceId)
    : deps.auditReader.scan();
  for await (const e of source) if (matchesAudit(filter, e)) yield e;
}

/** Issue 12's routes: the start page, instance comments, bulk instance actions and the auditor's desk. */
export function rolesHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const rt = () => deps.runtime();
  return {
    async listStartable({ principal }) {
      return { items: await deps.roles.startable(principal!.actor) };
    },

    async listInstanceComments({ params, principal }) {
      const { id } = params as unknown as IdParams;
      await readableInstance(rt(), id, principal!.actor);
      return { items: await commentViews(deps, id, await deps.comments.forInstance(id)) };
    },
    async addInstanceComment({ params, body, principal }) {
      const { id } = params as unknown as IdParams;
      const { text, taskId } = body as { text: string; taskId?: string };
      await readableInstance(rt(), id, principal!.actor);
      if (taskId) {
        const [open, history] = await Promise.all([
          rt().listTasks({ instanceId: id, limit: 500 }),
          rt().taskHistory(id),
        ]);
        if (![...open.items, ...history].some((t) => t.id === taskId))
          throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId, instanceId: id });
      }
      return addComment(deps, {
        instanceId: id,
        ...(taskId ? { taskId } : {}),
        author: principal!.actor.id,
        text,
      });
    },

    async bulkCancelInstances({ body, principal }) {
      const { instanceIds, reason } = body as { instanceIds: string[]; reason: string };
      return perInstance(instanceIds, (id) => rt().cancel(id, reason, principal!.actor));
    },
    async bulkSuspendInstances({ body, principal }) {
      return perInstance((body as { instanceIds: string[] }).instanceIds, (id) =>
        rt().suspend(id, principal!.actor),
      );
    },
    async bulkResumeInstances({ body, principal }) {
      return perInstance((body as { instanceIds: string[] }).instanceIds, (id) =>
        rt().resume(id, principal!.actor),
      );
    },
    async bulkRetryInstances({ body, principal }) {
      return perInstance((body as { instanceIds: string[] }).instanceIds, (id) =>
        rt().retry(id, principal!.actor),
      );
    },
    async bulkMigrateInstances({ body, principal }) {
      const { instanceIds, toVersion } = body as { instanceIds: string[]; toVersion: number };
      return perInstance(instanceIds, (id) => rt().migrate(id, toVersion, principal!.actor));
    },

    async searchAudit({ query }) {
      const { skip, limit, ...filter } = query as unknown as AuditFilter & { skip: number; limit: number };
      const items: AuditEvent[] = [];
      let total = 0;
      for await (const e of auditEntries(deps, filter)) {
        if (total >= skip && items.length < limit) items.push(e);
        total++;
      }
      return { items, total, skip, limit };
    },
    async exportAudit({ query, res }) {
      const filter = query as AuditFilter;
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="ravand-audit.csv"');
      res.setHeader('Cache-Control', 'no-store');
      // the BOM tells Excel the file is UTF-8, so Dari shows as Dari
      let chunk = '\uFEFF' + auditCsvHeader();
      for await (const e of auditEntries(deps, filter)) {
        chunk += auditCsvRow(e);
        if (chunk.length > 64_000) {
          res.write(chunk);
          chunk = '';
        }
      }
      res.end(chunk);
    },
  };
}
