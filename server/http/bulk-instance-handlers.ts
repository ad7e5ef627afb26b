import type { ApiDeps } from './api-deps.js';
import { perItem } from './per-item.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

/** A bulk instance action's entry: `{ instanceId, ok, instance | error }`. */
const INSTANCE_ENTRY = { id: 'instanceId', value: 'instance' };

/** Cancel, suspend, resume, retry or migrate many instances; each succeeds or fails on its own. */
export function bulkInstanceHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const rt = () => deps.runtime();
  const each = (ids: string[], work: (id: string) => Promise<unknown>) =>
    perItem(ids, INSTANCE_ENTRY, (id) => id, work);
  return {
    bulkCancelInstances: signedIn('bulkCancelInstances', async ({ body: { instanceIds, reason }, actor }) =>
      each(instanceIds, (id) => rt().cancel(id, reason, actor)),
    ),
    bulkSuspendInstances: signedIn('bulkSuspendInstances', async ({ body: { instanceIds }, actor }) =>
      each(instanceIds, (id) => rt().suspend(id, actor)),
    ),
    bulkResumeInstances: signedIn('bulkResumeInstances', async ({ body: { instanceIds }, actor }) =>
      each(instanceIds, (id) => rt().resume(id, actor)),
    ),
    bulkRetryInstances: signedIn('bulkRetryInstances', async ({ body: { instanceIds }, actor }) =>
      each(instanceIds, (id) => rt().retry(id, actor)),
    ),
    bulkMigrateInstances: signedIn(
      'bulkMigrateInstances',
      async ({ body: { instanceIds, toVersion }, actor }) =>
        each(instanceIds, (id) => rt().migrate(id, toVersion, actor)),
    ),
  };
}
