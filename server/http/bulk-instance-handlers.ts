import type { ApiDeps } from './api-deps.js';
import { perItem } from './per-item.js';
import type { RouteHandler } from './route-kit.js';

/** A bulk instance action's entry: `{ instanceId, ok, instance | error }`. */
const INSTANCE_ENTRY = { id: 'instanceId', value: 'instance' };

/** Cancel, suspend, resume, retry or migrate many instances; each succeeds or fails on its own. */
export function bulkInstanceHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const rt = () => deps.runtime();
  const each = (ids: string[], work: (id: string) => Promise<unknown>) =>
    perItem(ids, INSTANCE_ENTRY, (id) => id, work);
  return {
    async bulkCancelInstances({ body, principal }) {
      const { instanceIds, reason } = body as { instanceIds: string[]; reason: string };
      return each(instanceIds, (id) => rt().cancel(id, reason, principal!.actor));
    },
    async bulkSuspendInstances({ body, principal }) {
      return each((body as { instanceIds: string[] }).instanceIds, (id) =>
        rt().suspend(id, principal!.actor),
      );
    },
    async bulkResumeInstances({ body, principal }) {
      return each((body as { instanceIds: string[] }).instanceIds, (id) => rt().resume(id, principal!.actor));
    },
    async bulkRetryInstances({ body, principal }) {
      return each((body as { instanceIds: string[] }).instanceIds, (id) => rt().retry(id, principal!.actor));
    },
    async bulkMigrateInstances({ body, principal }) {
      const { instanceIds, toVersion } = body as { instanceIds: string[]; toVersion: number };
      return each(instanceIds, (id) => rt().migrate(id, toVersion, principal!.actor));
    },
  };
}
