import { log } from '../logger.js';
import { startEmbeddedDb, type EmbeddedDbOptions } from './embedded-db.js';

/** How the supervisor restarts a database process that died. */
export interface SupervisionOptions {
  /** Failed restarts in a row before giving up (default 5). */
  maxRestarts?: number;
  /** Wait before the first restart; it doubles with each failure (default 250 ms, at most 8 s). */
  backoffMs?: number;
  /** A process that stays up this long clears the failure count (default 60 s). */
  stableAfterMs?: number;
  /** Called once when the restarts are used up: the server should exit non-zero so its supervisor acts. */
  onGiveUp(error: Error): void;
}

/** The embedded database, kept running: same port and files after every restart. */
export interface SupervisedEmbeddedDb {
  uri: string;
  port: number;
  /** The pid of the current database process. */
  readonly pid: number;
  /** False from an unexpected exit until the restarted process listens. */
  readonly up: boolean;
  /** Stops supervision and the database. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded database and watches it: an unexpected exit is logged as an ERROR and the process is
 * restarted with backoff on the same port (the driver reconnects by itself); after `maxRestarts` failed
 * restarts in a row, `onGiveUp` is called.
 */
export async function startSupervisedEmbeddedDb(
  options: EmbeddedDbOptions,
  supervision: SupervisionOptions,
): Promise<SupervisedEmbeddedDb> {
  const maxRestarts = supervision.maxRestarts ?? 5;
  const backoffMs = supervision.backoffMs ?? 250;
  const stableAfterMs = supervision.stableAfterMs ?? 60_000;
  let current = await startEmbeddedDb(options);
  const pinned: EmbeddedDbOptions = { ...options, port: current.port };
  let up = true;
  let stopping = false;
  let failures = 0;
  /** When the current process was started by a restart (undefined for the first one). */
  let restartedAt: number | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const restart = async (): Promise<void> => {
    let lastError: Error | undefined;
    while (!stopping) {
      if (failures >= maxRestarts) {
        log.error('the embedded database could not be restarted; giving up', {
          attempts: failures,
          error: lastError?.message,
        });
        supervision.onGiveUp(
          lastError ?? new Error(`the embedded database exited ${failures} times in a row`),
        );
        return;
      }
      await pause(Math.min(8000, backoffMs * 2 ** failures));
      if (stopping) return;
      try {
        current = await startEmbeddedDb(pinned);
        restartedAt = Date.now();
        up = true;
        log.warn('the embedded database was restarted', { pid: current.pid, port: current.port });
        watch();
        return;
      } catch (err) {
        failures += 1;
        lastError = err as Error;
        log.error('restarting the embedded database failed', {
          attempt: failures,
          error: (err as Error).message,
        });
      }
    }
  };

  const watch = () => {
    const watched = current;
    void watched.exited.then((code) => {
      if (stopping || watched !== current) return;
      up = false;
      // a process that died soon after a restart counts as a failed restart; the first process is not a restart
      const soon = restartedAt !== undefined && Date.now() - restartedAt < stableAfterMs;
      failures = soon ? failures + 1 : 0;
      log.error('the embedded database exited unexpectedly; restarting it', {
        pid: watched.pid,
        code,
        restartsInARow: failures,
      });
      void restart();
    });
  };
  watch();

  return {
    uri: current.uri,
    port: current.port,
    get pid() {
      return current.pid;
    },
    get up() {
      return up;
    },
    async stop() {
      stopping = true;
      wake?.();
      await current.stop();
    },
  };
}
