import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Actor } from '../../../server/engine/types.js';
import type { RunningServer } from '../../../server/main.js';
import { projectRoot } from '../../../server/project-root.js';
import { centreOf, clickTrapGone, dropTask, labelLines, selectedIds } from '../helpers/canvas-steps.js';
import { panel } from '../helpers/modeller-panel.js';
import { DESKTOP, OfficeInBrowser } from '../helpers/office-in-browser.js';

const SHOTS = '/work/shots/w-canvas';
const PHONE = { width: 390, height: 844 };
/** A process whose elements are named in one language only, and an end event whose label box fits "Done". */
const LABELS = fs.readFileSync(
  path.join(projectRoot(), 'test', 'client', 'fixtures', 'canvas-labels.bpmn'),
  'utf8',
);
const manager: Actor = { id: 'canvas.fa', groups: ['deputy'], roles: ['manager'] };

/** Each line of a wrapped label is made of whole words of `name`, and the lines together are `name`. */
function expectWholeWords(lines: string[], name: string): void {
  const words = name.split(' ');
  const lineWords = lines.map((l) => l.trim().split(/\s+/));
  for (const line of lineWords)
    expect(words, `"${line.join(' ')}" in ${JSON.stringify(lines)}`).to.include.members(line);
  expect(lineWords.flat().join(' ')).to.equal(name);
}

/** Opens the search pad with Ctrl+F on the canvas and types `query`. */
async function search(page: Page, query: string) {
  await page.locator('rv-modeller .djs-container > svg').focus();
  if (!(await page.locator('rv-modeller .djs-search-container').isVisible()))
    await page.keyboard.press('Control+f');
  const input = page.locator('rv-modeller .djs-search-input input');
  await input.fill(query);
  return page.locator('rv-modeller .djs-search-results .djs-search-result');
}

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services reached through window.ravandModeller */
type Win = { ravandModeller: { get(name: string): any } };

/** Opens a process in the modeller and waits for one of its elements. */
async function openModeller(page: Page, url: string, key: string, elementId: string): Promise<void> {
  await page.goto(`${url}/modeller/${key}`);
  await page.locator(`rv-modeller .djs-element[data-element-id="${elementId}"]`).waitFor();
}

describe('client/modeller canvas (selection, labels in both languages, search, phone width)', function () {
  this.timeout(240_000);
  let office: OfficeInBrowser;
  let server: RunningServer;

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addPeople(
      {
        id: 'canvas.fa',
        name: { fa: 'مدیر طراحی', en: 'Design manager' },
        roles: ['manager'],
        groups: ['deputy'],
      },
      {
        id: 'canvas.en',
        name: { fa: 'مدیر انگلیسی‌زبان', en: 'English manager' },
        roles: ['manager'],
        groups: ['deputy'],
        language: 'en',
      },
    );
    await server.runtime.deploy(LABELS, manager);
  });

  after(() => office?.stop());

  it('should keep a task dropped from the palette selected when it is clicked after naming it, and show it in the panel', async () => {
    // given: a Dari manager drops a task on the empty canvas, types its name and presses Enter
    const page = await office.signIn('canvas.fa', { viewport: DESKTOP });
    await openModeller(page, server.url, 'media-publication', 'check-media-item');
    const area = (await page.locator('rv-modeller .rv-modeller-canvas').boundingBox())!;
    const taskId = await dropTask(page, area.x + area.width * 0.45, area.y + area.height - 90);
    await page.keyboard.type('شمارش روزها');
    await page.keyboard.press('Enter');
    await page
      .locator('rv-modeller .djs-element[data-element-id="' + taskId + '"] text', { hasText: 'شمارش' })
      .waitFor();
    await clickTrapGone(page);
    // when: they click the new task
    const centre = await centreOf(page, taskId);
    await page.mouse.click(centre.x, centre.y);
    // then: it is (still) the selected element and the panel shows the task
    expect(await selectedIds(page)).to.deep.equal([taskId]);
    await panel(page).locator('.bio-properties-panel-header-type', { hasText: 'وظیفه' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/dropped-selected-fa-1440.png` });
    // when: the empty canvas is clicked, then the task again
    await page.mouse.click(area.x + area.width - 15, area.y + area.height * 0.55);
    await panel(page).locator('.bio-properties-panel-header-type', { hasText: 'پروسه' }).waitFor();
    await page.mouse.click(centre.x, centre.y);
    // then: it is selected again
    expect(await selectedIds(page)).to.deep.equal([taskId]);
    await panel(page).locator('.bio-properties-panel-header-type', { hasText: 'وظیفه' }).waitFor();
  });

  it('should label elements named in one language only in either language, and wrap Dari labels at spaces', async () => {
    for (const who of ['canvas.fa', 'canvas.en'] as const) {
      // given: the process opened in Dari, then in English
      const page = await office.signIn(who, { viewport: DESKTOP });
      await openModeller(page, server.url, 'canvas-labels', 'count');
      const lang = who === 'canvas.fa' ? 'fa' : 'en';
      // then: the Dari-only task and start event show their Dari names, the English-only task its English name
      expect((await labelLines(page, 'count')).map((l) => l.trim()).join(' ')).to.equal('شمارش روزهای رخصتی');
      expect((await labelLines(page, 'check')).map((l) => l.trim()).join(' ')).to.equal('Check the request');
      expectWholeWords(await labelLines(page, 'asked_label'), 'درخواست رخصتی رسید');
      // and the end event's label is in the page's language; in Dari it wraps at spaces only
      if (lang === 'fa')
        expectWholeWords(await labelLines(page, 'done_label'), 'درخواست ثبت شد و رخصتی منظور گردید');
      else expect((await labelLines(page, 'done_label')).map((l) => l.trim())).to.deep.equal(['Done']);
      await page.screenshot({ path: `${SHOTS}/labels-${lang}-1440.png` });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: `${SHOTS}/labels-${lang}-390.png`, fullPage: true });
    }
  });

  it('should give an event named in Dari on the canvas its label', async () => {
    // given: a Dari manager on the labels process
    const page = await office.signIn('canvas.fa', { viewport: DESKTOP });
    await openModeller(page, server.url, 'canvas-labels', 'count');
    // when: an end event without a name is appended and named in Dari on the canvas
    await page.evaluate(() => {
      const m = (window as unknown as Win).ravandModeller;
      const registry = m.get('elementRegistry');
      m.get('modeling').appendShape(registry.get('check'), { type: 'bpmn:EndEvent' }, { x: 700, y: 200 });
    });
    const endId = await page.evaluate(
      () =>
        (window as unknown as Win).ravandModeller
          .get('elementRegistry')
          .filter((e: { type: string; id: string }) => e.type === 'bpmn:EndEvent' && e.id !== 'done')[0]
          .id as string,
    );
    await page.dblclick(`rv-modeller .djs-element[data-element-id="${endId}"]`);
    await page.keyboard.type('رخصتی رد شد');
    await page.keyboard.press('Enter');
    // then: it has a label, with its Dari name
    await page
      .locator(`rv-modeller .djs-element[data-element-id="${endId}_label"] text`, { hasText: 'رخصتی رد شد' })
      .waitFor();
  });

  it('should find elements by their names in the current language with the search pad', async () => {
    // given: the labels process in Dari
    const page = await office.signIn('canvas.fa', { viewport: DESKTOP });
    await openModeller(page, server.url, 'canvas-labels', 'count');
    // when: a Dari word is searched
    const results = await search(page, 'رخصتی');
    // then: the elements named with it are found, shown by their Dari names
    await results.first().waitFor();
    const texts = await results.locator('.djs-search-result-primary').allInnerTexts();
    expect(texts).to.have.members([
      'درخواست رخصتی رسید',
      'شمارش روزهای رخصتی',
      'درخواست ثبت شد و رخصتی منظور گردید',
    ]);
    await page.screenshot({ path: `${SHOTS}/search-fa-1440.png` });
    // when: one is picked
    await (await search(page, 'شمارش')).first().waitFor();
    await page.keyboard.press('Enter');
    // then: it is selected
    await page.waitForFunction(
      () => (window as unknown as Win).ravandModeller.get('selection').get()[0]?.id === 'count',
    );
    // and in English, English names (the Dari one where an element has no other)
    const en = await office.signIn('canvas.en', { viewport: PHONE });
    await openModeller(en, server.url, 'canvas-labels', 'count');
    const found = await search(en, 'request');
    await found.first().waitFor();
    expect(await found.locator('.djs-search-result-primary').allInnerTexts()).to.deep.equal([
      'Check the request',
    ]);
    await en.screenshot({ path: `${SHOTS}/search-en-390.png` });
    expect(
      await (await search(en, 'Done')).locator('.djs-search-result-primary').allInnerTexts(),
    ).to.deep.equal(['Done']);
  });

  it('should fit the diagram clear of the palette, keep the palette a compact strip and the toolbar inside a phone screen', async () => {
    for (const [who, viewport] of [
      ['canvas.fa', PHONE],
      ['canvas.en', PHONE],
      ['canvas.fa', DESKTOP],
      ['canvas.en', DESKTOP],
    ] as const) {
      // given: the media process opened in the modeller
      const page = await office.signIn(who, { viewport });
      await openModeller(page, server.url, 'media-publication', 'check-media-item');
      const size = `${who.slice(-2)}-${viewport.width}`;
      await page.screenshot({ path: `${SHOTS}/fit-${size}.png`, fullPage: true });
      // then: nothing is wider than the screen
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(viewport.width);
      // and every shape lies inside the canvas, none under the palette
      // (no named functions inside evaluate: the test's TypeScript loader would wrap them in a helper)
      const geometry = await page.evaluate(() => {
        const root = document.querySelector('rv-modeller')!;
        const [canvas, palette, ...shapes] = [
          root.querySelector('.rv-modeller-canvas')!,
          root.querySelector('.djs-palette')!,
          ...root.querySelectorAll('.djs-shape > .djs-visual'),
        ].map((el) => el.getBoundingClientRect().toJSON() as DOMRect);
        return { canvas: canvas!, palette: palette!, shapes };
      });
      const { canvas, palette, shapes } = geometry;
      expect(shapes.length).to.be.greaterThan(5);
      for (const s of shapes) {
        expect(s.left).to.be.at.least(canvas.left);
        expect(s.right).to.be.at.most(canvas.right);
        expect(s.top).to.be.at.least(canvas.top);
        expect(s.bottom).to.be.at.most(canvas.bottom);
        const clear = s.left >= palette.right || s.top >= palette.bottom || s.bottom <= palette.top;
        expect(clear, `shape ${JSON.stringify(s)} under the palette ${JSON.stringify(palette)}`).to.equal(
          true,
        );
      }
      // and on a phone the palette is one strip of the canvas's width, at most 60 px high
      if (viewport === PHONE) {
        expect(palette.height).to.be.at.most(60);
        expect(palette.width).to.be.at.most(canvas.width);
      }
    }
  });

  it('should let a task be dropped and selected on a phone, and open the search from the toolbar', async () => {
    // given: a Dari manager on a phone
    const page = await office.signIn('canvas.fa', { viewport: PHONE });
    await openModeller(page, server.url, 'canvas-labels', 'count');
    // when: a task is dropped below the diagram and named
    const canvas = page.locator('rv-modeller .rv-modeller-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const area = (await canvas.boundingBox())!;
    const taskId = await dropTask(page, area.x + area.width / 2, area.y + area.height - 70);
    await page.keyboard.type('بررسی سند');
    await page.keyboard.press('Enter');
    await clickTrapGone(page);
    const centre = await centreOf(page, taskId);
    await page.mouse.click(centre.x, centre.y);
    // then: it is selected and shown in the panel
    expect(await selectedIds(page)).to.deep.equal([taskId]);
    await panel(page).locator('.bio-properties-panel-header-type', { hasText: 'وظیفه' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/dropped-selected-fa-390.png`, fullPage: true });
    // when: the toolbar's search button is pressed and a Dari name typed
    await page.click('rv-modeller [data-action="search"]');
    await page.locator('rv-modeller .djs-search-input input').fill('سند');
    // then: the new task is found by its Dari name
    await page.locator('rv-modeller .djs-search-result-primary', { hasText: 'بررسی سند' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/search-fa-390.png` });
  });

  it('should move the diagram with one finger and zoom it with two on a touch screen', async () => {
    // given: a phone with a touch screen
    const page = await office.signIn('canvas.fa', { viewport: PHONE, hasTouch: true, isMobile: true });
    await openModeller(page, server.url, 'media-publication', 'check-media-item');
    const canvas = page.locator('rv-modeller .rv-modeller-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const area = (await canvas.boundingBox())!;
    const touch = await page.context().newCDPSession(page);
    const fingers = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<[number, number]>) =>
      touch.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: points.map(([x, y], id) => ({ x, y, id })),
      });
    const view = () =>
      page.evaluate(() => {
        const { x, y, scale } = (window as unknown as Win).ravandModeller.get('canvas').viewbox();
        return { x, y, scale } as { x: number; y: number; scale: number };
      });
    const before = await view();
    // when: one finger drags the empty canvas (below the diagram) 100 px to the right
    const [x, y] = [area.x + 100, area.y + area.height - 40];
    await fingers('touchStart', [[x, y]]);
    for (let step = 1; step <= 5; step++) await fingers('touchMove', [[x + step * 20, y]]);
    await fingers('touchEnd', []);
    // then: the diagram moved with it
    const moved = await view();
    expect((before.x - moved.x) * moved.scale).to.be.closeTo(100, 2);
    expect(moved.scale).to.equal(before.scale);
    // when: two fingers spread apart over the diagram
    const [cx, cy] = [area.x + area.width / 2, area.y + area.height / 2];
    await fingers('touchStart', [[cx - 20, cy]]);
    await fingers('touchStart', [
      [cx - 20, cy],
      [cx + 20, cy],
    ]);
    for (let step = 1; step <= 5; step++)
      await fingers('touchMove', [
        [cx - 20 - step * 8, cy],
        [cx + 20 + step * 8, cy],
      ]);
    await fingers('touchEnd', []);
    // then: the diagram is zoomed in (the fingers went from 40 to 120 px apart)
    const zoomed = await view();
    expect(zoomed.scale / moved.scale).to.be.closeTo(3, 0.1);
    await page.screenshot({ path: `${SHOTS}/touch-zoomed-fa-390.png` });
  });
});
