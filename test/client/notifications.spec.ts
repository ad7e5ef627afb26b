import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import { projectRoot } from '../../server/project-root.js';
import { screenshotPath } from './helpers/browser.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Where the screenshots go: SHOTS_DIR when set (a folder outside the repo), else test-results. */
function shot(name: string): string {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return screenshotPath(name);
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** Records the system notifications the page would show (the browser's own popup cannot be seen headless). */
const RECORD_NOTIFICATIONS = `(() => {
  window.__shown = [];
  class Recorded { static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__shown.push({ title, body: options && options.body }); }
    close() {} }
  Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
})()`;

describe('client/notifications (the bell, the user page, the administrator page)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-shots-backups-'));

  before(async () => {
    office = await OfficeInBrowser.start({ backupDir, backupTime: '02:00' });
    await office.addPeople(
      { id: 'officer', roles: ['staff'], groups: ['plan-policy'], language: 'fa' },
      { id: 'keeper', roles: ['admin'], groups: [], language: 'en' },
    );
    const xml = fs.readFileSync(path.join(projectRoot(), 'test/fixtures/http/http-plain-task.bpmn'), 'utf8');
    await office.server.runtime.deploy(xml, SYSTEM_ACTOR);
  });

  after(async () => {
    await office?.stop();
    fs.rmSync(backupDir, { recursive: true, force: true });
  });

  async function inLanguage(page: Page, lang: 'fa' | 'en'): Promise<void> {
    if ((await page.getAttribute('html', 'lang')) !== lang) {
      await page.click('rv-app [data-action="language"]');
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    }
  }

  const unread = (page: Page) =>
    page.locator('rv-bell [data-unread]').evaluateAll((els) => els.map((e) => e.textContent?.trim() ?? ''));

  it('should count a task offered live, list it, open it and mark it read; and tell a hidden tab', async () => {
    // given officer is signed in, their tab in the background
    const page = await office.signIn('officer');
    await page.evaluate(RECORD_NOTIFICATIONS);
    await page.evaluate(
      "Object.defineProperty(document, 'visibilityState', { get: () => 'hidden', configurable: true })",
    );
    expect(await unread(page)).to.deep.equal([]);
    // when a task is offered to their group
    await office.server.runtime.start({ key: 'http-plain-task', businessKey: 'REF-1405-001' }, SYSTEM_ACTOR);
    // then the bell counts it without a reload (Dari digits) and the browser was told
    await page.waitForSelector('rv-bell [data-unread]');
    expect(await unread(page)).to.deep.equal(['۱']);
    const shown = await page.evaluate<{ body: string }[]>('window.__shown');
    expect(shown).to.have.length(1);
    expect(shown[0]!.body).to.contain('یادداشت');
    // when the bell opens, the item names the task and its reference
    await page.click('rv-bell [data-action="bell"]');
    const item = page.locator('rv-bell [data-notification="task-offered"]');
    await item.waitFor();
    expect(await item.textContent()).to.contain('REF-1405-001');
    // and a click opens the task and marks it read
    await item.click();
    await page.waitForURL(/\/inbox\/task\//);
    await page.waitForFunction(
      () => !document.querySelector('rv-bell')?.shadowRoot?.querySelector('[data-unread]'),
    );
    await page.context().close();
  });

  it('should show a browser permission granted on the user page in the bell too', async () => {
    // given officer on their page, the browser not yet asked
    const page = await office.signIn('officer');
    await page.goto(`${office.url}/me`);
    await page.evaluate(`(() => {
      class Asked { static permission = 'default';
        static requestPermission() { Asked.permission = 'granted'; return Promise.resolve('granted'); } }
      Object.defineProperty(window, 'Notification', { value: Asked, configurable: true });
    })()`);
    await page.locator('rv-me-page [data-action="allow-browser"]').waitFor();
    // when they allow it there
    await page.click('rv-me-page [data-action="allow-browser"]');
    await page.locator('rv-me-page [data-action="allow-browser"]').waitFor({ state: 'detached' });
    // then the bell no longer offers to ask
    await page.click('rv-bell [data-action="bell"]');
    await page.locator('rv-bell .foot').waitFor();
    expect(await page.locator('rv-bell [data-action="allow-browser"]').count()).to.equal(0);
    await page.context().close();
  });

  it('should show the bell list, the user page and the administrator page in Dari and English, desktop and phone', async () => {
    // given a few notifications for officer
    for (let i = 2; i <= 4; i++)
      await office.server.runtime.start(
        { key: 'http-plain-task', businessKey: `REF-1405-00${i}` },
        SYSTEM_ACTOR,
      );
    for (const size of SIZES)
      for (const lang of ['fa', 'en'] as const) {
        const viewport = { width: size.width, height: size.height };
        const page = await office.signIn('officer', { viewport });
        await inLanguage(page, lang);
        await page.waitForSelector('rv-bell [data-unread]');
        await page.click('rv-bell [data-action="bell"]');
        await page.locator('rv-bell [data-notification]').first().waitFor();
        await page.screenshot({ path: shot(`bell-${lang}-${size.name}`) });
        // the user's page: mail settings saved
        await page.goto(`${office.url}/me`);
        await page.locator('rv-me-page input[name="email"]').fill('officer@ecc.test');
        await page.locator('rv-me-page input[value="digest"]').check();
        await page.click('rv-me-page [data-action="save-notifications"]');
        await page.waitForSelector('rv-notices [data-notice]');
        await page.screenshot({ path: shot(`me-${lang}-${size.name}`), fullPage: true });
        await page.context().close();

        const admin = await office.signIn('keeper', { viewport });
        await inLanguage(admin, lang);
        await admin.goto(`${office.url}/admin`);
        await admin.locator('rv-admin-page [data-schedule]').waitFor();
        await admin.screenshot({ path: shot(`admin-empty-${lang}-${size.name}`) });
        await admin.context().close();
      }
    // the choice was stored for the user
    const settings = await office.server.db.conn
      .collection('notification_settings')
      .findOne({ _id: 'officer' as never });
    expect(settings).to.include({ email: 'officer@ecc.test', mode: 'digest' });
  });

  it('should take a backup from the administrator page and show its time and size', async () => {
    for (const lang of ['fa', 'en'] as const)
      for (const size of SIZES) {
        // given
        const page = await office.signIn('keeper', { viewport: { width: size.width, height: size.height } });
        await inLanguage(page, lang);
        await page.goto(`${office.url}/admin`);
        await page.locator('rv-admin-page [data-schedule]').waitFor();
        const before = await page.locator('rv-admin-page tbody tr').count();
        // when
        await page.click('rv-admin-page [data-action="backup-now"]');
        // then the newest backup is listed with its size
        await page.waitForFunction(
          (n) =>
            (document.querySelector('rv-admin-page')?.shadowRoot?.querySelectorAll('tbody tr').length ?? 0) >
            n,
          before,
        );
        const sizeText = await page.locator('rv-admin-page [data-last-size]').textContent();
        expect(sizeText).to.match(lang === 'fa' ? /کیلوبایت|مگابایت|بایت/ : /KB|MB|B/);
        expect(await page.locator('rv-admin-page [data-last-backup] rv-date').count()).to.equal(1);
        await page.screenshot({ path: shot(`admin-${lang}-${size.name}`), fullPage: true });
        await page.context().close();
      }
  });
});
