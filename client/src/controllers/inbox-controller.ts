import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { session } from '../services/session.js';
import { live } from '../services/socket.js';
import type { TaskRecord } from '../services/types.js';
import { searchNeedle, taskHasText } from '../../../schemas/records.js';

export type InboxView = 'mine' | 'group' | 'overdue';
export type InboxSort = 'dueAt' | '-dueAt' | 'priority' | '-priority' | 'createdAt' | '-createdAt';

export interface InboxFilters {
  view: InboxView;
  key: string;
  sort: InboxSort;
  /** Free text over task and process names (both languages) and the reference. */
  q: string;
  /** '' | 'today' | 'week' (Kabul days). */
  due: '' | 'today' | 'week';
  /** Minimum priority. */
  minPriority: number;
}

const PAGE = 50;
/** What the inbox shows when it opens: my tasks, highest priority first (or my groups' work: `load`). */
const FIRST_FILTERS: InboxFilters = {
  view: 'mine',
  key: '',
  sort: '-priority',
  q: '',
  due: '',
  minPriority: 0,
};

/** GET /api/tasks's query for `filters` from `skip` on. */
function taskQuery(filters: InboxFilters, skip: number) {
  const { q, due, minPriority } = filters;
  return {
    view: filters.view,
    key: filters.key || undefined,
    q: searchNeedle(q) || undefined,
    dueBy: due ? new Date(dueLimit(due, Date.now())).toISOString() : undefined,
    minPriority: minPriority || undefined,
    sort: filters.sort,
    skip,
    limit: PAGE,
  };
}

/**
 * Sends the inbox's first two questions (my tasks, my groups' work) before the session has answered: the
 * controller's first `load` takes their answers. On a repeat visit the scripts come from the cache at once
 * and this saves the round trip after GET /api/me.
 */
export function askInboxEarly(): void {
  for (const view of ['mine', 'group'] as const) api.tasksEarly(taskQuery({ ...FIRST_FILTERS, view }, 0));
}

/**
 * The inbox's data: loads a view of tasks from GET /api/tasks and keeps it current from the socket —
 * a task that another user claims or completes leaves, a new one appears, each with a quiet notice.
 */
export class InboxController implements ReactiveController {
  filters: InboxFilters = { ...FIRST_FILTERS };
  tasks: TaskRecord[] = [];
  total = 0;
  loading = false;
  error: ApiError | null = null;
  private offs: Array<() => void> = [];
  private generation = 0;
  private typing: ReturnType<typeof setTimeout> | undefined;
  private firstLoad = true;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.offs = [
      live.on('task:created', (e) => this.upsert(e.task, 'created')),
      live.on('task:updated', (e) => this.upsert(e.task, 'updated', e.by)),
      live.on('task:completed', (e) => this.remove(e.task.id, e.task.endedBy !== session.user?.id)),
    ];
    const onReset = () => void this.load();
    live.addEventListener('reset', onReset);
    this.offs.push(() => live.removeEventListener('reset', onReset));
    void this.load();
  }

  hostDisconnected(): void {
    clearTimeout(this.typing);
    for (const off of this.offs) off();
    this.offs = [];
  }

  /**
   * Every filter is the server's (it searches all open tasks, not the loaded page); the list shows the
   * change at once on what is loaded, and typed text asks the server once typing pauses.
   */
  setFilters(change: Partial<InboxFilters>): void {
    this.filters = { ...this.filters, ...change };
    clearTimeout(this.typing);
    if ('q' in change && Object.keys(change).length === 1) {
      this.host.requestUpdate();
      this.typing = setTimeout(() => void this.load(), 250);
    } else void this.load();
  }

  async load(more = false): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      const query = (view: InboxView) =>
        api.tasks(taskQuery({ ...this.filters, view }, more ? this.tasks.length : 0));
      // the first time, the group's unclaimed work is asked for beside my tasks (not after them: one round
      // trip less on a slow link), to open on it when nothing is claimed yet instead of an empty list
      const fallback =
        this.firstLoad && this.filters.view === 'mine' ? query('group').catch(() => null) : undefined;
      let page = await query(this.filters.view);
      if (generation !== this.generation) return;
      if (fallback && page.total === 0) {
        const group = await fallback;
        if (generation !== this.generation) return;
        if (group) {
          this.filters = { ...this.filters, view: 'group' };
          page = group;
        }
      }
      this.firstLoad = false;
      this.tasks = more ? [...this.tasks, ...page.items] : page.items;
      this.total = page.total;
    } catch (err) {
      if (generation !== this.generation) return;
      this.error = err instanceof ApiError ? err : null;
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }

  /**
   * The loaded tasks after the filters: the server applied them to what it sent, this applies them to what
   * arrived since over the socket and at once while typed text waits for the server.
   */
  get visible(): TaskRecord[] {
    const { q, due, minPriority } = this.filters;
    const needle = searchNeedle(q);
    const end = due ? dueLimit(due, Date.now()) : Infinity;
    return this.tasks.filter((task) => {
      if (task.priority < minPriority) return false;
      if (due && (!task.dueAt || Date.parse(task.dueAt) > end)) return false;
      return !needle || taskHasText(task, needle);
    });
  }

  /** Whether a task belongs in the current view (the same rules as the server's view). */
  matches(task: TaskRecord): boolean {
    const me = session.user?.id;
    const groups = session.groupIds();
    if (this.filters.key && task.definitionKey !== this.filters.key) return false;
    const offered =
      task.candidateGroups.some((g) => groups.includes(g)) || (task.candidateUsers ?? []).includes(me ?? '');
    switch (this.filters.view) {
      case 'mine':
        return task.assignee === me;
      case 'group':
        return !task.assignee && offered;
      case 'overdue':
        return (
          !!task.dueAt &&
          Date.parse(task.dueAt) < Date.now() &&
          (task.assignee === me || (!task.assignee && offered))
        );
    }
  }

  /** Applies a local change (after claim/unclaim here) without waiting for the socket. */
  applyLocal(task: TaskRecord): void {
    this.upsert(task, 'updated', session.user?.id, true);
  }

  private upsert(task: TaskRecord, kind: 'created' | 'updated', by?: string, quiet = false): void {
    const index = this.tasks.findIndex((x) => x.id === task.id);
    const fits = this.matches(task);
    const byOther = by !== undefined && by !== session.user?.id;
    if (index >= 0 && !fits) {
      this.tasks = this.tasks.filter((x) => x.id !== task.id);
      this.total = Math.max(0, this.total - 1);
      if (!quiet && byOther) notices.show(t('notice.taskLeft', { name: i18n.text(task.name) }));
    } else if (index >= 0) {
      this.tasks = this.tasks.map((x) => (x.id === task.id ? task : x));
    } else if (fits) {
      this.tasks = [task, ...this.tasks];
      this.total++;
      if (!quiet && (kind === 'created' || byOther))
        notices.show(t('notice.taskCreated', { name: i18n.text(task.name) }));
    }
    this.host.requestUpdate();
  }

  private remove(id: string, announce: boolean): void {
    const task = this.tasks.find((x) => x.id === id);
    if (!task) return;
    this.tasks = this.tasks.filter((x) => x.id !== id);
    this.total = Math.max(0, this.total - 1);
    if (announce) notices.show(t('notice.taskLeft', { name: i18n.text(task.name) }));
    this.host.requestUpdate();
  }
}

/** The latest due time a `due` filter lets through: the end of today, or of the sixth day after it. */
function dueLimit(due: 'today' | 'week', now: number): number {
  return due === 'today' ? endOfKabulDay(now) : endOfKabulDay(now) + 6 * 86_400_000;
}

/** End of today in Kabul (UTC+04:30), as a timestamp. */
function endOfKabulDay(now: number): number {
  const offset = 4.5 * 3600_000;
  const day = Math.floor((now + offset) / 86_400_000);
  return (day + 1) * 86_400_000 - offset - 1;
}
