import { expect } from 'chai';
import type { Page, Request } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { OfficeInBrowser, PASSWORD } from './helpers/office-in-browser.js';

/** What the inbox's first load asks for and when: each question once, the slow ones before the scripts ran. */
describe('client (first load of the inbox, real server and Chromium)', function () {
  this.timeout(240_000);
  let office: OfficeInBrowser;
  let server: RunningServer;

  /** A page signed in as `username` (through the API), recording every request in order. */
  async function signedIn(
    username: string,
    language: 'fa' | 'en',
  ): Promise<{ page: Page; requests: Request[] }> {
    const page = await office.newPage({}, `browser ${username}`);
    await page.addInitScript((lang) => localStorage.setItem('ravand.lang', lang), language);
    const res = await page.context().request.post(`${server.url}/api/auth/login`, {
      data: { username, password: PASSWORD },
    });
    expect(res.ok(), await res.text()).to.equal(true);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    return { page, requests };
  }

  const paths = (requests: Request[]) =>
    requests.map((r) => new URL(r.url()).pathname + new URL(r.url()).search);

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addPeople({ id: 'staff.first', roles: ['staff'], groups: ['plan-policy'], language: 'fa' });
    await server.runtime.start(
      { key: 'policy-approval', businessKey: 'First load', variables: {} },
      SYSTEM_ACTOR,
    );
  });

  after(() => office?.stop());

  it('should ask for the session and the first tasks once each, and the inbox chunk and fonts before the main script ran', async () => {
    // given a staff member with a task of their group (nothing claimed)
    const { page, requests } = await signedIn('staff.first', 'fa');
    // (GET /api/me is held until the inbox's first tasks question has gone out, or for 30 s: without the early
    // question the inbox asks only once the session is known)
    let tasksAsked!: () => void;
    const tasksSeen = new Promise<void>((resolve) => (tasksAsked = resolve));
    page.on('request', (r) => {
      if (r.url().includes('/api/tasks?view=mine')) tasksAsked();
    });
    let askedBeforeSession = false;
    await page.route('**/api/me', async (route) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      askedBeforeSession = await Promise.race([
        tasksSeen.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 30_000))),
      ]);
      clearTimeout(timer);
      await route.continue();
    });
    // when the inbox's address is opened
    await page.goto(`${server.url}/inbox`);
    await page.locator('rv-inbox li[data-task]').first().waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // then GET /api/me and each first task question went out once: the early answers were taken, not asked again
    const asked = paths(requests);
    expect(asked.filter((p) => p === '/api/me')).to.have.length(1);
    const tasks = asked.filter((p) => p.startsWith('/api/tasks?'));
    expect(tasks.filter((p) => p.includes('view=mine'))).to.have.length(1);
    expect(tasks.filter((p) => p.includes('view=group'))).to.have.length(1);
    // and the inbox opened on the group's work, as before
    expect(await page.locator('rv-inbox [data-view="group"]').getAttribute('aria-pressed')).to.equal('true');
    // and the inbox's chunk, the fonts and /api/me were asked for before the main script's first own request
    const main = asked.findIndex((p) => /^\/assets\/index-[^/]+\.js$/.test(p));
    const firstByScript = asked.findIndex(
      (p, i) => i > main && p.startsWith('/api/') && p !== '/api/me' && !p.startsWith('/api/tasks'),
    );
    for (const early of [
      /^\/assets\/rv-inbox-[^/]+\.js$/,
      /^\/assets\/vazirmatn-arabic-400-normal-[^/]+\.woff2$/,
      /^\/api\/me$/,
    ]) {
      const at = asked.findIndex((p) => early.test(p));
      expect(at, String(early)).to.be.greaterThan(-1);
      expect(at, `${early} before ${asked[firstByScript]}`).to.be.lessThan(firstByScript);
    }
    // and the first tasks went out before the session had answered
    expect(askedBeforeSession).to.equal(true);
    // and nothing asked for the app shell as an icon
    expect(asked).to.not.include('/favicon.ico');
  });
});
