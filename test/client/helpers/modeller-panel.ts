import type { Locator, Page } from 'playwright-core';

/** The modeller's properties panel. */
export const panel = (page: Page) => page.locator('rv-modeller .rv-properties');

/** Opens a panel group by its header text (groups other than General start closed). */
export async function openGroup(page: Page, title: string): Promise<Locator> {
  const header = panel(page).locator('.bio-properties-panel-group-header', { hasText: title });
  await header.waitFor();
  if (!((await header.getAttribute('class')) ?? '').includes('open')) await header.click();
  return panel(page).locator('.bio-properties-panel-group', {
    has: page.locator('.bio-properties-panel-group-header', { hasText: title }),
  });
}

/** Waits until the element's business object satisfies the check (edits are debounced). */
export async function modelHas(page: Page, id: string, attr: string, expected: string): Promise<void> {
  await page.waitForFunction(
    ([elementId, name, value]) => {
      const modeler = (window as unknown as { ravandModeller: { get(n: string): any } }).ravandModeller; // eslint-disable-line @typescript-eslint/no-explicit-any
      const bo = modeler.get('elementRegistry').get(elementId).businessObject;
      if (name.startsWith('property:')) {
        const props = (bo.extensionElements?.values ?? []).find(
          (v: { $type: string }) => v.$type === 'camunda:Properties',
        );
        return (props?.values ?? []).find((p: { name: string }) => p.name === name.slice(9))?.value === value;
      }
      return bo.get(name) === value;
    },
    [id, attr, expected] as const,
  );
}

/** Clicks an element on the canvas and waits for the panel to show it. */
export async function selectElement(page: Page, id: string): Promise<void> {
  await page.click(`rv-modeller .djs-element[data-element-id="${id}"]`);
  await panel(page).locator(`.bio-properties-panel-header-label`).waitFor();
}

/** Clicks the empty canvas so the process itself is selected. */
export async function selectProcess(page: Page): Promise<void> {
  const canvas = page.locator('rv-modeller .rv-modeller-canvas');
  const box = (await canvas.boundingBox())!;
  // the far edge half-way down: clear of the fitted diagram, the palette, the lint badge and the bpmn.io logo
  await canvas.click({ position: { x: box.width - 15, y: box.height * 0.55 } });
  await panel(page)
    .locator('.bio-properties-panel-group-header', { hasText: /آغازگران مجاز|Who may start/ })
    .waitFor();
}
