import type { TaskRecord } from '../engine/types.js';

const DAY_MS = 86_400_000;

/** Which deadline moment of a task came. */
export type DueMoment = 'due-soon' | 'overdue';

/**
 * The open tasks that have a due date, in memory, and one timer for the next moment one of them becomes due
 * within a day or overdue. Fed by the task events and, at start, by the open tasks (the task store's own
 * memory mirror): nothing here reads the database.
 */
export class DueWatch {
  private readonly tasks = new Map<string, TaskRecord>();
  /** Moments already handed out, per task. */
  private readonly fired = new Map<string, Set<DueMoment>>();
  private timer: NodeJS.Timeout | undefined;
  private armQueued = false;
  private closed = false;

  constructor(
    private readonly onMoment: (task: TaskRecord, moment: DueMoment) => void,
    private readonly now: () => Date = () => new Date(),
    /** How long before the due date the "due tomorrow" notice goes (default a day). */
    private readonly soonMs = DAY_MS,
    /** At start, overdue tasks older than this are taken as known already and not told again (default 3 days). */
    private readonly catchUpMs = 3 * DAY_MS,
  ) {}

  /** The moment a task's "due soon" notice is due, if it gets one: only when it was created before it. */
  private soonAt(task: TaskRecord): number | undefined {
    const at = Date.parse(task.dueAt!) - this.soonMs;
    return Date.parse(task.createdAt) < at ? at : undefined;
  }

  /** Starts or keeps watching a task (a change of due date or assignee replaces what is kept). */
  track(task: TaskRecord, atStart = false): void {
    if (!task.dueAt || Number.isNaN(Date.parse(task.dueAt))) return this.untrack(task.id);
    const prev = this.tasks.get(task.id);
    if (prev && prev.dueAt !== task.dueAt) this.fired.delete(task.id);
    this.tasks.set(task.id, task);
    if (atStart && Date.parse(task.dueAt) < this.now().getTime() - this.catchUpMs) {
      this.fired.set(task.id, new Set(['due-soon', 'overdue']));
    }
    this.arm();
  }

  untrack(taskId: string): void {
    this.tasks.delete(taskId);
    this.fired.delete(taskId);
  }

  /** Tasks watched (for tests). */
  get size(): number {
    return this.tasks.size;
  }

  /** Runs the due moments and sets the timer to the next one (coalesced: many tracks, one pass). */
  arm(): void {
    if (this.armQueued || this.closed) return;
    this.armQueued = true;
    queueMicrotask(() => {
      this.armQueued = false;
      this.pass();
    });
  }

  private pass(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const nowMs = this.now().getTime();
    let next = Infinity;
    for (const task of this.tasks.values()) {
      let fired = this.fired.get(task.id);
      if (!fired) this.fired.set(task.id, (fired = new Set<DueMoment>()));
      const dueMs = Date.parse(task.dueAt!);
      const moments: [DueMoment, number | undefined][] = [
        ['due-soon', this.soonAt(task)],
        ['overdue', dueMs],
      ];
      for (const [moment, at] of moments) {
        if (at === undefined || fired.has(moment)) continue;
        if (at <= nowMs) {
          // past its due date a "due tomorrow" notice would be wrong: only the overdue one goes
          if (moment === 'due-soon' && dueMs <= nowMs) {
            fired.add(moment);
            continue;
          }
          fired.add(moment);
          this.onMoment(task, moment);
        } else next = Math.min(next, at);
      }
    }
    if (next === Infinity) return;
    // Node timers hold at most ~24.8 days; a longer wait re-arms on the way
    this.timer = setTimeout(() => this.pass(), Math.min(next - nowMs, 2 ** 31 - 1));
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
