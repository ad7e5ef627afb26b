import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { ApiClient } from '../http/harness.js';
import { selectElement, selectProcess } from './helpers/modeller-panel.js';
import { OfficeInBrowser, PASSWORD } from './helpers/office-in-browser.js';

const SHOTS = '/work/shots/w-lint';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services reached through window.ravandModeller */
type Win = { ravandModeller: { get(name: string): any; saveXML(o: object): Promise<{ xml: string }> } };

/** Opens a process in the modeller and waits until its diagram and lint context are in. */
async function openModeller(page: Page, url: string, key: string): Promise<void> {
  await page.goto(`${url}/modeller/${key}`);
  await page.locator('rv-modeller .djs-element[data-element-id="check-media-item"]').waitFor();
}

/** Runs a modeling command on the open diagram. */
function setProperties(page: Page, id: string, props: Record<string, unknown>) {
  return page.evaluate(
    ([id, props]) => {
      const m = (window as unknown as Win).ravandModeller;
      m.get('modeling').updateProperties(m.get('elementRegistry').get(id), props);
    },
    [id, props] as const,
  );
}

/** Words of `texts` written only in Latin letters, other than the `allowed` ones (element ids, FEEL, keys). */
function latinOnlyWords(texts: string[], allowed: string[]): string[] {
  return texts
    .flatMap((t) => t.split(/[\s()،,:·.…"'«»/=]+/))
    .filter((w) => /^[A-Za-z][A-Za-z-]*$/.test(w) && !allowed.includes(w));
}

/**
 * Opens every closed group of the properties panel and returns its visible texts and tooltips, less what is
 * meant to be Latin: the English half of a picker's "Dari · English" name (names are offered in both languages),
 * keys shown in brackets after a Dari title (form keys, usernames) and code in left-to-right isolates (FEEL).
 */
async function panelTexts(page: Page): Promise<string[]> {
  const closed = page.locator(
    'rv-modeller .rv-properties .bio-properties-panel-group-header:not(.open):visible',
  );
  while ((await closed.count()) > 0) await closed.first().click();
  const texts = await page.evaluate(() => {
    const root = document.querySelector('rv-modeller .rv-properties')!;
    const out = [(root as HTMLElement).innerText];
    for (const el of root.querySelectorAll('[title], [placeholder], [aria-label]'))
      out.push(
        el.getAttribute('title') ?? '',
        el.getAttribute('placeholder') ?? '',
        el.getAttribute('aria-label') ?? '',
      );
    return out.filter((t) => t.trim());
  });
  return texts.map((t) =>
    t
      .replace(/ · \u2068[^\u2069]*\u2069/g, '')
      .replace(/\([A-Za-z0-9.-]+\)/g, '')
      .replace(/\u2066[^\u2069]*\u2069/g, ''),
  );
}

describe('client/modeller gate, draft diff and Dari (real server and Chromium)', function () {
  this.timeout(240_000);
  let office: OfficeInBrowser;
  let server: RunningServer;

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addPeople(
      { id: 'manager', name: { fa: 'مدیر', en: 'Manager' }, roles: ['manager'], groups: ['deputy'] },
      {
        id: 'manager.en',
        name: { fa: 'مدیر انگلیسی‌زبان', en: 'English manager' },
        roles: ['manager'],
        groups: ['deputy'],
        language: 'en',
      },
      // a Dari manager of their own: the test above switches 'manager' to English
      {
        id: 'manager.panel',
        name: { fa: 'مدیر پنل', en: 'Panel manager' },
        roles: ['manager'],
        groups: ['deputy'],
      },
    );
  });

  after(() => office?.stop());

  it('should block deploying a diagram with a lint error, list it with a click that selects the element, and the API should refuse it with 422', async () => {
    // given: an unknown candidate group on a task
    const page = await office.signIn('manager', { viewport: DESKTOP });
    await openModeller(page, server.url, 'media-publication');
    await setProperties(page, 'check-media-item', { 'camunda:candidateGroups': 'no-such-group' });
    await page.locator('rv-modeller [data-lint]:not([data-errors="0"])').waitFor();
    // when
    await page.click('rv-modeller [data-action="deploy"]');
    // then: the list says why, nothing was deployed
    const entry = page.locator(
      'rv-modeller [data-lint-list="errors"] li[data-element="check-media-item"][data-rule="ravand/candidate-groups"]',
    );
    await entry.waitFor();
    expect((await server.runtime.listVersions('media-publication')).length).to.equal(1);
    await page.screenshot({ path: `${SHOTS}/lint-list-fa-1440.png` });
    // when: the entry is clicked
    await entry.locator('button').click();
    // then: its element is selected
    const selected = await page.evaluate(() =>
      (window as unknown as Win).ravandModeller
        .get('selection')
        .get()
        .map((e: { id: string }) => e.id),
    );
    expect(selected).to.deep.equal(['check-media-item']);
    // and the badge and the server's check agree
    const badgeErrors = Number(await page.getAttribute('rv-modeller [data-lint]', 'data-errors'));
    await page.click('rv-modeller [data-action="validate"]');
    await page.locator('rv-modeller [data-lint-list="server"]').waitFor();
    const serverErrors = await page
      .locator('rv-modeller [data-lint-list="server"] li[data-category="error"]')
      .count();
    expect(serverErrors).to.equal(badgeErrors);
    // and the API refuses the same diagram
    const xml = await page.evaluate(
      async () => (await (window as unknown as Win).ravandModeller.saveXML({ format: true })).xml,
    );
    const api = new ApiClient(server.url);
    await api.login('manager', PASSWORD);
    const res = await api.agent
      .post('/api/definitions')
      .set('x-csrf-token', api.csrf)
      .set('Content-Type', 'application/xml')
      .send(xml);
    expect(res.status).to.equal(422);
    expect(res.body.code).to.equal('RV_ERR_MODEL_LINT');
    expect(res.body.details.issues.map((i: { elementId: string }) => i.elementId)).to.include(
      'check-media-item',
    );
    expect(res.body.details.issues.length).to.equal(badgeErrors);
    await page.setViewportSize(PHONE);
    await page.click('rv-modeller [data-action="deploy"]');
    await page.locator('rv-modeller [data-lint-list="errors"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/lint-list-fa-390.png`, fullPage: true });
  });

  it('should ask before deploying a diagram with warnings only, then deploy it', async () => {
    // given: an unnamed task after the start (a warning: no English name)
    const page = await office.signIn('manager.en', { viewport: DESKTOP });
    await openModeller(page, server.url, 'media-publication');
    await setProperties(page, 'check-media-item', { name: '' });
    // when
    await page.click('rv-modeller [data-action="deploy"]');
    // then
    await page
      .locator('rv-modeller [data-lint-list="warnings"] li[data-element="check-media-item"]')
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/lint-warnings-en-1440.png` });
    expect((await server.runtime.listVersions('media-publication')).length).to.equal(1);
    await page.click('rv-modeller [data-action="deploy-anyway"]');
    await page.waitForURL(`${server.url}/modeller/media-publication/2`);
    expect((await server.runtime.listVersions('media-publication')).length).to.equal(2);
  });

  it('should compare the draft with a deployed version and count the running instances it strands', async () => {
    // given: two instances waiting in the drafting task
    for (const n of [1, 2])
      await server.runtime.start(
        { key: 'media-publication', businessKey: `MP-DIFF-${n}`, variables: {} },
        SYSTEM_ACTOR,
      );
    const waiting = (await server.runtime.listInstances({ key: 'media-publication', status: 'running' }))
      .items;
    const waitAt = waiting[0]!.waiting[0]!.elementId;
    const page = await office.signIn('manager.en', { viewport: DESKTOP });
    await openModeller(page, server.url, 'media-publication');
    // when: the draft removes the element they wait in, then Compare
    await page.evaluate((id) => {
      const m = (window as unknown as Win).ravandModeller;
      m.get('modeling').removeElements([m.get('elementRegistry').get(id)]);
    }, waitAt);
    await page.click('rv-modeller [data-action="compare"]');
    // then
    const impact = page.locator('rv-modeller .rv-impact[data-running="2"][data-migratable="0"]');
    await impact.waitFor();
    expect(await impact.locator('li[data-can-migrate="false"]').count()).to.equal(2);
    await page.locator(`rv-bpmn-diff li[data-kind="removed"][data-element="${waitAt}"]`).waitFor();
    await page.locator('rv-bpmn-diff figcaption', { hasText: 'Draft' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/diff-en-1440.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/diff-en-390.png`, fullPage: true });
    await page.click('rv-app [data-action="language"]');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.locator('rv-bpmn-diff figcaption', { hasText: 'پیش‌نویس' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/diff-fa-390.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: `${SHOTS}/diff-fa-1440.png`, fullPage: true });
  });

  it('should speak Dari in the palette, context pad, lint texts and search pad, show Dari labels and edit the Dari name', async () => {
    // given: a Dari page with a lint warning and error on the canvas
    const page = await office.signIn('manager', { viewport: DESKTOP });
    await openModeller(page, server.url, 'media-publication/1');
    const dari = 'بررسی صحت معلومات و انطباق با پالیسی';
    await page
      .locator('rv-modeller .djs-element[data-element-id="check-media-item"] text', { hasText: 'بررسی صحت' })
      .waitFor();
    await setProperties(page, 'draft-media-item', { 'camunda:dueDate': '=addWorkingDays(now(),' });
    await page.click('rv-modeller .djs-element[data-element-id="check-media-item"]');
    await page.locator('rv-modeller .djs-context-pad .entry').first().waitFor();
    await page.click('rv-modeller [data-lint]');
    await page.locator('rv-modeller [data-lint-list] li').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/modeller-fa-1440.png` });
    // when: the visible texts and tooltips are collected
    const texts: string[] = await page.evaluate(() => {
      const root = document.querySelector('rv-modeller')!;
      const out: string[] = [];
      for (const el of root.querySelectorAll('.djs-palette .entry, .djs-context-pad .entry'))
        out.push(el.getAttribute('title') ?? '', (el as HTMLElement).innerText);
      for (const el of root.querySelectorAll('.bjsl-overlay, .bjsl-button, [data-lint-list], [data-lint]'))
        out.push((el as HTMLElement).innerText);
      return out.filter((t) => t.trim());
    });
    // and those of the search pad, opened from the toolbar, with the results of a Dari word
    await page.click('rv-modeller [data-action="search"]');
    await page.locator('rv-modeller .djs-search-input input').fill('خبر');
    await page.locator('rv-modeller .djs-search-result').first().waitFor();
    await page.screenshot({ path: '/work/shots/w-canvas/search-pad-fa-1440.png' });
    texts.push(
      ...(await page.evaluate(() => {
        const pad = document.querySelector('rv-modeller .djs-search-container') as HTMLElement;
        const out = [
          pad.innerText,
          document.querySelector('rv-modeller [data-action="search"]')!.textContent!,
        ];
        for (const el of pad.querySelectorAll('[title], [placeholder], [aria-label]'))
          out.push(
            el.getAttribute('title') ?? '',
            el.getAttribute('placeholder') ?? '',
            el.getAttribute('aria-label') ?? '',
          );
        return out.filter((t) => t.trim());
      })),
    );
    expect(texts.join(' ')).to.contain('خبر برای نشر');
    await page.keyboard.press('Escape');
    const ids = await page.evaluate(() =>
      (window as unknown as Win).ravandModeller
        .get('elementRegistry')
        .getAll()
        .map((e: { id: string }) => e.id),
    );
    // then: no Latin-only word besides element ids
    const latin = latinOnlyWords(texts, ids);
    expect(texts.length).to.be.greaterThan(10);
    expect(latin, texts.join(' | ')).to.deep.equal([]);
    // when: the task's label is edited in Dari
    await page.dblclick('rv-modeller .djs-element[data-element-id="check-media-item"]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('بررسی معلومات');
    await page.click('rv-modeller .rv-modeller-canvas', { position: { x: 20, y: 20 } });
    // then: the Dari name changed, the English one did not
    await page
      .locator('rv-modeller .djs-element[data-element-id="check-media-item"] text', {
        hasText: 'بررسی معلومات',
      })
      .waitFor();
    const names = await page.evaluate(() => {
      const bo = (window as unknown as Win).ravandModeller
        .get('elementRegistry')
        .get('check-media-item').businessObject;
      const fa = bo.extensionElements.values
        .flatMap((v: { values?: Array<{ name: string; value: string }> }) => v.values ?? [])
        .find((p: { name: string }) => p.name === 'name-fa').value;
      return { en: bo.name, fa };
    });
    expect(names).to.deep.equal({ en: 'Fact and policy check', fa: 'بررسی معلومات' });
    expect(dari).to.not.equal(names.fa);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/modeller-fa-390.png`, fullPage: true });
    await page.click('rv-app [data-action="language"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    await page
      .locator('rv-modeller .djs-element[data-element-id="check-media-item"] text', { hasText: 'Fact and' })
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/modeller-en-390.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: `${SHOTS}/modeller-en-1440.png` });
  });
  it('should speak Dari in the properties panel of a process and of a user task', async () => {
    // given: the Dari modeller on media-publication
    const page = await office.signIn('manager.panel', { viewport: DESKTOP });
    await openModeller(page, server.url, 'media-publication/1');
    const ids = await page.evaluate(() =>
      (window as unknown as Win).ravandModeller
        .get('elementRegistry')
        .getAll()
        .map((e: { id: string }) => e.id),
    );
    // element ids, FEEL and the names of the extension properties
    const keys = ['name-fa', 'separate-from', 'reference-pattern', 'owner-group'];
    const allowed = [...ids, 'FEEL', ...keys];
    // when: the process, then a user task, is selected and every panel group opened
    await selectProcess(page);
    const processTexts = await panelTexts(page);
    await page.screenshot({ path: `${SHOTS}/panel-process-fa-1440.png`, fullPage: true });
    await selectElement(page, 'check-media-item');
    const taskTexts = await panelTexts(page);
    await page.screenshot({ path: `${SHOTS}/panel-task-fa-1440.png`, fullPage: true });
    // then: both panels were read, and no Latin-only word is left besides ids, FEEL and keys
    expect(processTexts.join(' ')).to.contain('آغازگران مجاز');
    expect(taskTexts.join(' ')).to.contain('تعیین مسئول');
    const latin = latinOnlyWords([...processTexts, ...taskTexts], allowed);
    expect(latin, [...processTexts, ...taskTexts].join(' | ')).to.deep.equal([]);
  });
});
