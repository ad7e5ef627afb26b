import { log } from '../logger.js';
import type {
  I18nText,
  InstanceSummary,
  RuntimeEvents,
  TaskRecord,
  WorkflowRuntime,
} from '../engine/types.js';
import type { UserRecord } from '../persistence/user-store.js';
import type { MailEntry, MailOutboxStore } from '../persistence/mail-outbox-store.js';
import type { NotificationInboxStore } from '../persistence/notification-inbox-store.js';
import type { NotificationLedgerStore } from '../persistence/notification-ledger-store.js';
import type { NotificationSettingsStore } from '../persistence/notification-settings-store.js';
import type { NotificationItem, NotificationKind } from '../../schemas/notifications.js';
import { DueWatch, type DueMoment } from './due-watch.js';

/** Who works where: the accounts, read through a short cache (a few hundred users, never history). */
export interface Directory {
  get(userId: string): Promise<UserRecord | undefined>;
  members(groupId: string): Promise<UserRecord[]>;
}

/** What the notifier needs, chosen by `notifications.ts`. */
export interface NotifierDeps {
  runtime: WorkflowRuntime;
  directory: Directory;
  inbox: NotificationInboxStore;
  ledger: NotificationLedgerStore;
  settings: NotificationSettingsStore;
  outbox: MailOutboxStore;
  /** Whether mail is on (RAVAND_SMTP_URL set). */
  mailOn: boolean;
  /** A stored mail entry to send now (`pending`) or keep for the digest (`held`). */
  queueMail(entry: MailEntry): void;
  /** Tells the user's open tabs (socket room `user:<id>`). */
  publish(userId: string, item: NotificationItem, unread: number): void;
  now(): Date;
}

/** Tasks created this recently are announced again at a start (repeats are ignored), in case a crash lost it. */
const RECENT_MS = 15 * 60_000;

const OFFERED_ROLES = new Set(['admin', 'manager', 'staff', 'leadership']);

/**
 * Turns runtime events into notifications: a task offered or assigned to someone, a task due within a day or
 * overdue (DueWatch), an instance its starter started ended. Each goes to the user's bell (and open tabs) and,
 * by the user's choice, into the mail outbox at once or for the daily digest. Deliveries run one at a time.
 */
export class Notifier {
  private readonly due: DueWatch;
  private chain: Promise<void> = Promise.resolve();
  /** Process names by key, for "your instance ended" (tasks carry their own). */
  private readonly processNames = new Map<string, I18nText>();
  private readonly listeners: { [E in keyof RuntimeEvents]?: (payload: RuntimeEvents[E]) => void };

  constructor(private readonly deps: NotifierDeps) {
    this.due = new DueWatch((task, moment) => this.enqueue(() => this.onDue(task, moment)), deps.now);
    const track = (p: { task: TaskRecord }) => this.due.track(p.task);
    const ended = (outcome: 'completed' | 'cancelled') => (p: { instance: InstanceSummary }) =>
      this.enqueue(() => this.onInstanceEnded(p.instance, outcome));
    this.listeners = {
      'task.created': (p) => {
        this.due.track(p.task);
        this.enqueue(() => this.onTaskCreated(p.task));
      },
      'task.assigned': (p) => {
        this.due.track(p.task);
        this.enqueue(() => this.onTaskAssigned(p.task, p.by));
      },
      'task.claimed': track,
      'task.unclaimed': track,
      'task.completed': (p) => this.due.untrack(p.task.id),
      'task.cancelled': (p) => this.due.untrack(p.task.id),
      'definition.deployed': (p) => this.processNames.set(p.definition.key, p.definition.name),
      'instance.completed': ended('completed'),
      'instance.cancelled': ended('cancelled'),
    };
  }

  /**
   * Listens to the runtime at once, and watches the open tasks' due dates (read from the task store's memory)
   * once `after` settles: loading that memory is a full read of the open tasks, which at start-up took the
   * database's time from the active instances that searches wait for. A task created meanwhile is tracked by
   * its event, and the sweep tracks it again (the same task, replaced).
   */
  async start(after?: Promise<unknown>): Promise<void> {
    for (const [name, fn] of Object.entries(this.listeners))
      this.deps.runtime.events.on(name as keyof RuntimeEvents, fn as never);
    await after?.catch(() => undefined);
    // the open tasks, newest first, from the task store's memory (not the database)
    const recent = this.deps.now().getTime() - RECENT_MS;
    for (let skip = 0; ; skip += 500) {
      const page = await this.deps.runtime.listTasks({ sort: '-createdAt', limit: 500, skip });
      for (const task of page.items) {
        this.due.track(task, true);
        // a crash between a task's checkpoint and its notification lost the latter: given again now (the bell
        // and the outbox ignore a repeat of its key)
        if (Date.parse(task.createdAt) > recent) this.enqueue(() => this.onTaskCreated(task));
      }
      if (skip + page.items.length >= page.total || page.items.length === 0) break;
    }
  }

  /** Resolves when the notifications of every event so far are delivered (bell written, mail queued). */
  settled(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.due.close();
    for (const [name, fn] of Object.entries(this.listeners))
      this.deps.runtime.events.off(name as keyof RuntimeEvents, fn as never);
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(work)
      .catch((err: unknown) => log.error('notification failed', { error: String(err) }));
  }

  private async offeredTo(task: TaskRecord): Promise<string[]> {
    if (task.assignee) return [task.assignee];
    const ids = new Set(task.candidateUsers);
    for (const g of task.candidateGroups)
      for (const u of await this.deps.directory.members(g))
        if (u.roles.some((r) => OFFERED_ROLES.has(r))) ids.add(u.id);
    return [...ids];
  }

  private async onTaskCreated(task: TaskRecord): Promise<void> {
    const kind: NotificationKind = task.assignee ? 'task-assigned' : 'task-offered';
    for (const userId of await this.offeredTo(task))
      await this.deliver(userId, this.taskItem(task, kind, userId));
  }

  private async onTaskAssigned(task: TaskRecord, by: string): Promise<void> {
    if (!task.assignee || task.assignee === by) return;
    await this.deliver(task.assignee, this.taskItem(task, 'task-assigned', task.assignee));
  }

  private async onDue(task: TaskRecord, moment: DueMoment): Promise<void> {
    const kind: NotificationKind = moment === 'due-soon' ? 'task-due-soon' : 'task-overdue';
    const to = new Set(
      moment === 'due-soon'
        ? await this.offeredTo(task)
        : task.assignee
          ? [task.assignee]
          : task.candidateUsers,
    );
    // overdue: also the head of each group it was offered to (its managers)
    if (moment === 'overdue')
      for (const g of task.candidateGroups)
        for (const u of await this.deps.directory.members(g)) if (u.roles.includes('manager')) to.add(u.id);
    for (const userId of to) await this.deliver(userId, this.taskItem(task, kind, userId), true);
  }

  private async onInstanceEnded(
    instance: InstanceSummary,
    outcome: 'completed' | 'cancelled',
  ): Promise<void> {
    const userId = instance.startedBy;
    if (!userId || userId === 'system') return;
    if (!this.processNames.has(instance.key)) {
      // read once (and again for a key deployed since): the process names, not the instances
      for (const d of await this.deps.runtime.listDefinitions().catch(() => []))
        this.processNames.set(d.key, d.name);
    }
    const processName = this.processNames.get(instance.key) ?? { fa: instance.key, en: instance.key };
    const item: NotificationItem = {
      key: `instance-ended:${instance.id}:${userId}`,
      kind: 'instance-ended',
      at: this.deps.now().toISOString(),
      read: false,
      instanceId: instance.id,
      name: processName,
      processName,
      outcome,
      path: `/instances/${encodeURIComponent(instance.id)}`,
    };
    if (instance.businessKey) item.reference = instance.businessKey;
    await this.deliver(userId, item);
  }

  private taskItem(task: TaskRecord, kind: NotificationKind, userId: string): NotificationItem {
    const item: NotificationItem = {
      key: `${kind}:${task.id}:${userId}`,
      kind,
      at: this.deps.now().toISOString(),
      read: false,
      taskId: task.id,
      instanceId: task.instanceId,
      name: task.name,
      processName: task.processName,
      path: `/inbox/task/${encodeURIComponent(task.id)}`,
    };
    if (task.businessKey) item.reference = task.businessKey;
    if (task.dueAt) item.dueAt = task.dueAt;
    return item;
  }

  /**
   * Gives one notification: the bell (a repeat of its key is ignored), the open tabs, then the mail outbox
   * (a repeat of its id is refused). `gated` ones (worked out again at every start) are recorded in the ledger
   * last, so a crash before that repeats only steps that ignore repeats.
   */
  private async deliver(userId: string, item: NotificationItem, gated = false): Promise<void> {
    const { deps } = this;
    if (gated && (await deps.ledger.has(item.key))) return;
    const user = await deps.directory.get(userId);
    if (!user?.active) return;
    const { list, added } = await deps.inbox.add(userId, item);
    if (added) deps.publish(userId, item, list.unread);
    if (deps.mailOn) {
      const settings = await deps.settings.get(userId);
      if (settings.email && settings.mode !== 'off') {
        const now = deps.now().toISOString();
        const entry: MailEntry = {
          id: item.key,
          userId,
          to: settings.email,
          lang: user.language,
          state: settings.mode === 'digest' ? 'held' : 'pending',
          digest: false,
          items: [item],
          attempts: 0,
          nextAt: now,
          createdAt: now,
        };
        if (await deps.outbox.insert(entry)) deps.queueMail(entry);
      }
    }
    if (gated) await deps.ledger.record(item.key, deps.now().toISOString());
  }
}
