/**
 * A serial queue per key. The runtime keys it by instance id: every command on an instance (start, complete,
 * claim, service result, retry …) runs after the previous one settled, so an engine is never driven by two
 * commands at once. The socket server keys it by user id, for room refreshes after a role change.
 */
export class InstanceQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, number>();

  /** Runs `task` after every earlier task of `id`; its result or error is the caller's alone. */
  run<T>(id: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(id) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, tail);
    this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
    void tail.then(() => {
      const left = (this.pending.get(id) ?? 1) - 1;
      if (left === 0) {
        this.pending.delete(id);
        this.tails.delete(id);
      } else this.pending.set(id, left);
    });
    return next;
  }

  /** True while `id` has a queued or running task. */
  busy(id: string): boolean {
    return this.pending.has(id);
  }

  /** Number of instances with queued work. */
  get size(): number {
    return this.pending.size;
  }

  /** Resolves when every queued task has settled. */
  async drain(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
