import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../server/project-root.js';
import { panel, selectElement, selectProcess } from './helpers/modeller-panel.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

const FIXTURE = fs.readFileSync(
  path.join(projectRoot(), 'test', 'client', 'fixtures', 'panel-trip.bpmn'),
  'utf8',
);

/** The panel header's type and name as shown (waits until they read `type` and `name`). */
async function headerReads(page: Page, type: string, name: string): Promise<void> {
  const header = panel(page).locator('.bio-properties-panel-header');
  await header.locator('.bio-properties-panel-header-type', { hasText: type }).waitFor();
  await page.waitForFunction(
    ([t, n]) => {
      const root = document.querySelector('rv-modeller .rv-properties');
      const headers = root?.querySelectorAll('.bio-properties-panel-header') ?? [];
      const [only] = headers;
      return (
        headers.length === 1 &&
        only!.querySelector('.bio-properties-panel-header-type')?.textContent === t &&
        only!.querySelector('.bio-properties-panel-header-label')?.textContent === n
      );
    },
    [type, name] as const,
  );
}

describe('client/modeller/office-panel/panel-header (names and types in the current language)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;

  before(async () => {
    office = await OfficeInBrowser.start();
    await office.addPeople({ id: 'header.manager', roles: ['manager'], groups: ['deputy'] });
  });

  after(() => office?.stop());

  it('should name the process and a task in Dari, in English after a language switch, and in Dari again after switching back', async () => {
    // given: a manager in Dari with a diagram whose process and task have Dari and English names
    const page = await office.signIn('header.manager');
    await page.goto(`${office.url}/modeller`);
    await page.waitForFunction(() => !!(window as unknown as { ravandModeller?: unknown }).ravandModeller);
    await page.evaluate(async (xml) => {
      const m = (window as unknown as { ravandModeller: { importXML(x: string): Promise<unknown> } })
        .ravandModeller;
      await m.importXML(xml);
    }, FIXTURE);
    await page.locator('rv-modeller .djs-element[data-element-id="draft"]').waitFor();

    // when / then: the process, then the task, in Dari
    await selectProcess(page);
    await headerReads(page, 'پروسه', 'سفر پنل');
    await selectElement(page, 'draft');
    await headerReads(page, 'وظیفهٔ کاربری', 'تهیهٔ مسوده');

    // when: the language is switched with the task selected
    await page.click('rv-app [data-action="language"]');
    // then: the task, then the process, in English
    await headerReads(page, 'User Task', 'Draft');
    await selectProcess(page);
    await headerReads(page, 'Process', 'Panel trip');

    // when: switched back with the process selected
    await page.click('rv-app [data-action="language"]');
    // then
    await headerReads(page, 'پروسه', 'سفر پنل');
    await selectElement(page, 'draft');
    await headerReads(page, 'وظیفهٔ کاربری', 'تهیهٔ مسوده');
    // and the header stays above the panel's body, which scrolls on its own
    const [headerBox, bodyBox] = await Promise.all([
      panel(page).locator('.rv-office-header').boundingBox(),
      panel(page).locator('.bio-properties-panel-container').boundingBox(),
    ]);
    expect(headerBox!.y + headerBox!.height).to.be.at.most(bodyBox!.y + 1);
  });
});
