import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { request, type APIRequestContext, type Page } from 'playwright-core';
import type { InstanceSummary, TaskRecord } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { demoUsers, type DemoUser } from '../../server/seed/organisation.js';
import { screenshotPath } from './helpers/browser.js';
import { fillForm, formSchema, validData, type FillerSchema } from './helpers/form-filler.js';
import { OfficeInBrowser, PASSWORD } from './helpers/office-in-browser.js';

const PROCESSES = [
  'policy-approval',
  'policy-implementation',
  'trip-authorization',
  'international-cooperation',
  'access-to-information',
  'media-publication',
  'pr-campaign',
  'provincial-sop-audit',
];
/** Steps a walk may take before it is called stuck (the longest happy path has about twenty). */
const MAX_STEPS = 60;

/** Demo users of a group, the officers first (the head is a manager, the deputy's assistant is staff). */
function membersOf(group: string, users: DemoUser[]): DemoUser[] {
  const rank = (u: DemoUser) => (u.roles.includes('staff') ? 0 : u.roles.includes('manager') ? 1 : 2);
  return users.filter((u) => u.groups.includes(group)).sort((a, b) => rank(a) - rank(b));
}

/**
 * Walks every office process from the start page to its end in Dari, each step done in the browser by a
 * demo user of the group the task is offered to (found through their own inbox, so four-eyes is respected).
 * Only reads go around the interface: which task is open, and when a timer is due. Timers are reached the
 * way the process stories do it: the clock moves to the timer's due time and the scheduler is poked.
 */
describe('client/process walk (every process from the start page to its end, in the browser)', function () {
  this.timeout(600_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  let clock: ReturnType<typeof FakeTimers.install>;
  const users = demoUsers();
  const created = new Set<string>();
  const pages = new Map<string, Page>();
  const readers = new Map<string, APIRequestContext>();

  before(async () => {
    // the server's clock (same process) is faked so timers can be reached; it runs on in real time
    clock = FakeTimers.install({ toFake: ['Date'], now: Date.now(), shouldAdvanceTime: true });
    office = await OfficeInBrowser.start({ sessionTtlHours: 24 * 365 });
    server = office.server;
  });

  after(async () => {
    for (const r of readers.values()) await r.dispose().catch(() => undefined);
    await office?.stop();
    clock?.uninstall();
  });

  async function ensureUser(username: string): Promise<void> {
    if (created.has(username)) return;
    created.add(username);
    await office.addDemoUsers([username]);
  }

  /** The user's browser page, signed in through the sign-in page once. */
  async function pageOf(username: string): Promise<Page> {
    const known = pages.get(username);
    if (known) return known;
    await ensureUser(username);
    const page = await office.signIn(username, { viewport: { width: 1280, height: 860 } });
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    pages.set(username, page);
    return page;
  }

  /** A signed-in API session of the user, only to read what their inbox offers (no browser needed). */
  async function readerOf(username: string): Promise<APIRequestContext> {
    const known = readers.get(username);
    if (known) return known;
    await ensureUser(username);
    // a connection per request: a kept-alive socket the server has just closed answers ECONNRESET
    const reader = await request.newContext({
      baseURL: server.url,
      extraHTTPHeaders: { connection: 'close' },
    });
    const res = await reader.post('/api/auth/login', { data: { username, password: PASSWORD } });
    expect(res.status(), `sign-in of ${username}`).to.equal(200);
    readers.set(username, reader);
    return reader;
  }

  /** The instance and every instance it called, with their open tasks. */
  async function family(rootId: string): Promise<{ instances: InstanceSummary[]; tasks: TaskRecord[] }> {
    const instances: InstanceSummary[] = [await server.runtime.getInstance(rootId)];
    for (let i = 0; i < instances.length; i++) {
      const children = await server.runtime.listInstances({ parentId: instances[i]!.id, limit: 100 });
      instances.push(...children.items);
    }
    const tasks: TaskRecord[] = [];
    for (const inst of instances)
      tasks.push(...(await server.runtime.listTasks({ instanceId: inst.id, limit: 500 })).items);
    return { instances, tasks: tasks.sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
  }

  /** A demo user the task is offered to, found by asking each candidate's own inbox (four-eyes included). */
  async function performerOf(task: TaskRecord): Promise<string> {
    const candidates = [
      ...task.candidateUsers.map((id) => users.find((u) => u.username === id)).filter((u) => !!u),
      ...task.candidateGroups.flatMap((g) => membersOf(g, users)),
    ];
    if (task.assignee) candidates.unshift(users.find((u) => u.username === task.assignee)!);
    for (const u of candidates) {
      const reader = await readerOf(u.username);
      const res = await reader.get(
        `/api/tasks?view=visible&instanceId=${encodeURIComponent(task.instanceId)}&limit=100`,
      );
      const offered = ((await res.json()) as { items?: TaskRecord[] }).items ?? [];
      if (offered.some((x) => x.id === task.id)) return u.username;
    }
    throw new Error(`no demo user is offered ${task.elementId} (${task.candidateGroups.join(', ')})`);
  }

  /** Opens the task from the user's inbox, fills its form with forward values and submits it. */
  async function doTask(task: TaskRecord): Promise<void> {
    const username = await performerOf(task);
    const page = await pageOf(username);
    await page.click('rv-app [data-nav="inbox"]');
    await page.click(`rv-inbox [data-view="${task.assignee === username ? 'mine' : 'group'}"]`);
    const row = page.locator(`rv-inbox li[data-task="${task.id}"] a`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const view = page.locator(`rv-task-view article[data-task="${task.id}"]`);
    await view.waitFor();
    if (task.formKey) {
      const schema = formSchema(task.formKey);
      const form = page.locator('rv-task-view rv-json-form');
      await fillForm(page, form, schema, validData(schema));
      await form.locator('button[type="submit"]').click();
    } else {
      await page.click('rv-task-view .rv-task-form button.primary');
    }
    // the inbox goes back to its list once the server took the form
    await page.waitForURL(`${server.url}/inbox`, { timeout: 20_000 }).catch(async (err) => {
      const alert = await page
        .locator('rv-task-view .alert, rv-task-view rv-json-form .alert')
        .allTextContents();
      throw new Error(`${task.elementId} by ${username} was not completed: ${alert.join(' | ')}`, {
        cause: err,
      });
    });
    await server.runtime.idle();
  }

  /** Moves the clock to the family's earliest timer and lets the scheduler fire it. */
  async function fireNextTimer(instanceIds: string[]): Promise<boolean> {
    const jobs = await server.db.conn
      .collection('jobs')
      .find({ instanceId: { $in: instanceIds } })
      .toArray();
    const due = jobs
      .map((j) => (typeof j.job === 'string' ? (JSON.parse(j.job) as { dueAt?: string }).dueAt : j.dueAt))
      .filter((d): d is string => typeof d === 'string')
      .sort()[0];
    if (!due) return false;
    const target = new Date(due).getTime() + 1000;
    if (target > Date.now()) clock.setSystemTime(target);
    await server.runtime.scheduler.poke();
    await server.runtime.idle();
    return true;
  }

  /** Starts `key` from the start page as one of its starters; returns the new instance's id. */
  async function startFromStartPage(key: string): Promise<string> {
    // who may start it: the model's starters (GET /api/definitions gives them as attributes)
    const admin = await readerOf('admin');
    const definitions = (await (await admin.get('/api/definitions')).json()) as {
      items: Array<{ key: string; attributes?: { starterGroups: string[]; starterUsers: string[] } }>;
    };
    const attributes = definitions.items.find((d) => d.key === key)?.attributes;
    const starter =
      attributes?.starterUsers[0] ??
      membersOf(attributes?.starterGroups[0] ?? 'plan-policy', users)[0]!.username;
    // the start form the start page shows (GET /api/startable, the same schema the server validates)
    const startable = (await (await (await readerOf(starter)).get('/api/startable')).json()) as {
      items: Array<{ key: string; startForm?: FillerSchema }>;
    };
    const startForm = startable.items.find((p) => p.key === key)?.startForm;
    const page = await pageOf(starter);
    await page.click('rv-app [data-nav="start"]');
    await page.click(`rv-start [data-start="${key}"]`);
    await page.locator(`rv-start [data-start-form="${key}"]`).waitFor();
    if (startForm) {
      const form = page.locator('rv-start rv-json-form');
      await fillForm(page, form, startForm, validData(startForm));
      await form.locator('button[type="submit"]').click();
    } else {
      await page.click('rv-start [data-start-form] button.primary');
    }
    await page.waitForURL(/\/(inbox\/task|instances)\/[^/]+$/, { timeout: 20_000 }).catch(async (err) => {
      await page.screenshot({ path: screenshotPath(`walk-${key}-start-failed`) });
      const alerts = await page
        .locator('rv-start .alert, rv-start rv-json-form .alert, rv-start rv-json-form .field-error')
        .allTextContents();
      throw new Error(`${key} was not started by ${starter}: ${alerts.join(' | ')}`, { cause: err });
    });
    const [, kind, id] = /\/(inbox\/task|instances)\/([^/]+)$/.exec(page.url())!;
    // it lands on its first task when that is the starter's, else on the new instance
    await page
      .locator('rv-task-view article[data-task], rv-instance-view article[data-instance]')
      .first()
      .waitFor();
    await page.screenshot({ path: screenshotPath(`walk-${key}-started`) });
    return kind === 'instances'
      ? decodeURIComponent(id!)
      : (await server.runtime.getTask(decodeURIComponent(id!))).instanceId;
  }

  for (const key of PROCESSES) {
    it(`should walk ${key} from the start page to its end, each step by a user of the right group`, async () => {
      // given: started from the start page
      const rootId = await startFromStartPage(key);
      const done: string[] = [];
      // when: every open task is done through the interface by someone it is offered to
      for (let step = 0; step < MAX_STEPS; step++) {
        await server.runtime.idle();
        const { instances, tasks } = await family(rootId);
        const root = instances[0]!;
        if (root.status !== 'running') break;
        const task = tasks[0];
        if (task) {
          await doTask(task);
          done.push(task.elementId);
          continue;
        }
        if (!(await fireNextTimer(instances.map((i) => i.id))))
          throw new Error(
            `${key} waits with no task and no timer at ${root.waiting.map((w) => w.elementId).join(', ')}`,
          );
      }
      // then: it reached its end
      const root = await server.runtime.getInstance(rootId);
      expect(root.status, `${key} after ${done.join(' → ')}`).to.equal('completed');
      expect(done.length).to.be.greaterThan(0);
    });
  }
});
