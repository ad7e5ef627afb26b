import { AppError } from '../app-error.js';
import type { ErrorBody } from '../../schemas/errors.js';
import { isDatabaseDown } from './error-handler.js';

/** The body of a failed item: its catalogue error, the database's absence, or RV_ERR_INTERNAL for anything else. */
function errorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  if (isDatabaseDown(err as never)) return new AppError('RV_ERR_DB_UNAVAILABLE').toBody();
  return new AppError('RV_ERR_INTERNAL').toBody();
}

/**
 * A bulk action: runs `work` over `items` with a few in flight; each item succeeds or fails on its own, order is
 * kept. `keys` names the wire fields of an entry (`{ id: 'taskId', value: 'task' }` → `{ taskId, ok, task }`).
 */
export async function perItem<T>(
  items: T[],
  keys: { id: string; value: string },
  idOf: (item: T) => string,
  work: (item: T) => Promise<unknown>,
  concurrency = 4,
) {
  const results: Record<string, unknown>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      try {
        results[index] = { [keys.id]: idOf(item), ok: true, [keys.value]: await work(item) };
      } catch (err) {
        results[index] = { [keys.id]: idOf(item), ok: false, error: errorBody(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
