import type { Page } from 'playwright-core';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services reached through window.ravandModeller */
type Win = { ravandModeller: { get(name: string): any } };

/** The ids of the selected elements on the modeller's canvas. */
export const selectedIds = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    (window as unknown as Win).ravandModeller
      .get('selection')
      .get()
      .map((e: { id: string }) => e.id),
  );

/** The centre of an element's shape on the page. */
export async function centreOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = (await page.locator(`rv-modeller .djs-element[data-element-id="${id}"]`).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drops a task from the palette at page point (x, y) like a person (click the palette entry, move there, click)
 * and returns the new task's id.
 */
export async function dropTask(page: Page, x: number, y: number): Promise<string> {
  const before = await page.evaluate(() =>
    (window as unknown as Win).ravandModeller
      .get('elementRegistry')
      .getAll()
      .map((e: { id: string }) => e.id),
  );
  await page.click('rv-modeller .djs-palette .entry.bpmn-icon-task');
  await page.mouse.move(x - 5, y);
  await page.mouse.move(x, y);
  await page.mouse.click(x, y);
  const handle = await page.waitForFunction(
    (known) =>
      (window as unknown as Win).ravandModeller
        .get('elementRegistry')
        .filter((e: { id: string; type: string }) => e.type === 'bpmn:Task' && !known.includes(e.id))[0]?.id,
    before,
  );
  return (await handle.jsonValue()) as string;
}

/** The lines (tspans) of an element's drawn label, e.g. `start_label` for an event's external label. */
export function labelLines(page: Page, id: string): Promise<string[]> {
  return page
    .locator(`rv-modeller .djs-element[data-element-id="${id}"] .djs-visual text.djs-label tspan`)
    .allTextContents();
}

/**
 * Waits until diagram-js's ghost-click trap is gone: after a drop it swallows the next click on the canvas for
 * 400 ms (a listener of priority 5000 on element.click), so a test that clicks at once would test the trap.
 */
export async function clickTrapGone(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    type Listener = { priority: number; next?: Listener };
    const bus = (window as unknown as Win).ravandModeller.get('eventBus');
    for (let l: Listener | undefined = bus._listeners['element.click']; l; l = l.next)
      if (l.priority === 5000) return false;
    return true;
  });
}
