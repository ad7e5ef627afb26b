import { AppError } from '../app-error.js';
import type { CommentView } from '../engine/types.js';
import type { CommentRecord } from '../ports/comments-port.js';
import { rooms } from '../../schemas/events.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';
import { readableInstance } from '../policy/visibility.js';

/** Task names by task id. */
type TaskNames = Map<string, NonNullable<CommentView['taskName']>>;

/** The names of an instance's tasks, open and ended, by task id. */
async function taskNamesOf(deps: ApiDeps, instanceId: string): Promise<TaskNames> {
  const rt = deps.runtime();
  const [open, history] = await Promise.all([
    rt.listTasks({ instanceId, limit: 500 }),
    rt.taskHistory(instanceId),
  ]);
  return new Map([...history, ...open.items].map((t) => [t.id, t.name]));
}

/**
 * Comments as the client shows them: with the task's name and the author's name in both languages. `taskNames`
 * when the caller has read them already.
 */
export async function commentViews(
  deps: ApiDeps,
  instanceId: string,
  records: CommentRecord[],
  taskNames?: TaskNames,
): Promise<CommentView[]> {
  if (records.length === 0) return [];
  const names = taskNames ?? (await taskNamesOf(deps, instanceId));
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
      const name = names.get(r.taskId);
      if (name) view.taskName = name;
    }
    return view;
  });
}

/** Adds a comment to an instance, publishes `comment:added` to its room, returns the view. */
export async function addComment(
  deps: ApiDeps,
  comment: { instanceId: string; taskId?: string; author: string; text: string },
  taskNames?: TaskNames,
): Promise<CommentView> {
  const record = await deps.comments.add(comment);
  const [view] = await commentViews(deps, comment.instanceId, [record], taskNames);
  void deps.eventLog.publish('comment:added', [rooms.instance(comment.instanceId)], { comment: view! });
  return view!;
}

/** An instance's comments: read by whoever may read the instance, added by them too (on a task of it or not). */
export function commentHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const rt = () => deps.runtime();
  return {
    listInstanceComments: signedIn('listInstanceComments', async ({ params: { id }, actor }) => {
      await readableInstance(rt(), id, actor);
      return { items: await commentViews(deps, id, await deps.comments.forInstance(id)) };
    }),
    addInstanceComment: signedIn('addInstanceComment', async ({ params: { id }, body, actor }) => {
      const { text, taskId } = body;
      await readableInstance(rt(), id, actor);
      let taskNames: TaskNames | undefined;
      if (taskId) {
        // read once: both to check the task is the instance's and to name it in the view
        taskNames = await taskNamesOf(deps, id);
        if (!taskNames.has(taskId)) throw new AppError('RV_ERR_TASK_NOT_FOUND', { taskId, instanceId: id });
      }
      return addComment(
        deps,
        { instanceId: id, ...(taskId ? { taskId } : {}), author: actor.id, text },
        taskNames,
      );
    }),
  };
}
