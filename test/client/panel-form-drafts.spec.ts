import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { FormDraftStore } from '../../server/persistence/form-draft-store.js';
import { demoUsers } from '../../server/seed/organisation.js';
import { screenshotPath } from './helpers/browser.js';
import { addDaysField, startForm, trialProcess } from './helpers/form-designer-steps.js';
import { modelHas, openGroup, panel, selectElement } from './helpers/modeller-panel.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

/** Screenshots for people to look at: RV_SHOTS_DIR when set, else test-results/screenshots. */
const shot = (name: string) =>
  process.env.RV_SHOTS_DIR
    ? (fs.mkdirSync(process.env.RV_SHOTS_DIR, { recursive: true }),
      path.join(process.env.RV_SHOTS_DIR, `${name}.png`))
    : screenshotPath(name);

/** A designed form: `days`, a required whole number from 1 to `max`. */
function daysForm(max: number) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    'x-title': { fa: 'یادداشت رخصتی', en: 'Leave note' },
    'x-order': ['days'],
    properties: {
      days: { type: 'integer', minimum: 1, maximum: max, 'x-label': { fa: 'تعداد روزها', en: 'Days' } },
    },
    required: ['days'],
    additionalProperties: false,
  };
}

/** The designer spec's one-task leave process with its flows referenced from both ends (the lint gate asks for it). */
function leaveProcess(formKey?: string): string {
  return trialProcess(formKey)
    .replace(
      '<bpmn:startEvent id="start" />',
      '<bpmn:startEvent id="start"><bpmn:outgoing>flow-start-record</bpmn:outgoing></bpmn:startEvent>',
    )
    .replace(
      '</bpmn:userTask>',
      '<bpmn:incoming>flow-start-record</bpmn:incoming><bpmn:outgoing>flow-record-end</bpmn:outgoing></bpmn:userTask>',
    )
    .replace(
      '<bpmn:endEvent id="end" />',
      '<bpmn:endEvent id="end"><bpmn:incoming>flow-record-end</bpmn:incoming></bpmn:endEvent>',
    );
}

/** Opens the modeller from the navigation on the leave process. */
async function openLeaveProcess(page: Page): Promise<void> {
  await page.click('rv-app [data-nav="modeller"]');
  await page.selectOption('rv-modeller select[name="process"]', 'leave-request');
  await page.locator('rv-modeller .djs-element[data-element-id="record"]').waitFor();
}

/** Clicks the modeller's Deploy (confirming warnings, if any) and waits for the route of `version`. */
async function deployFromModeller(page: Page, url: string, version: number): Promise<void> {
  const deployed = page.waitForURL(`${url}/modeller/leave-request/${version}`);
  await page.click('rv-modeller [data-action="deploy"]');
  const warned = page
    .locator('rv-modeller [data-action="deploy-anyway"]')
    .waitFor()
    .then(() => page.click('rv-modeller [data-action="deploy-anyway"]'))
    .catch(() => undefined);
  await Promise.race([deployed.catch(() => undefined), warned]);
  await deployed.catch(async (err) => {
    const list = await page
      .locator('rv-modeller [data-lint-list], rv-modeller [role="alert"]')
      .allInnerTexts();
    throw new Error(`not deployed: ${list.join(' | ')}`, { cause: err });
  });
}

describe('client/modeller/office-panel form picker with the form designer’s drafts (real server and Chromium)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const manager: Actor = { id: 'plan-policy.head', groups: ['plan-policy'], roles: ['manager'] };
  const staff: Actor = { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] };
  const headName = demoUsers().find((u) => u.username === 'plan-policy.head')!.name;

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addDemoUsers(['plan-policy.head', 'plan-policy.officer']);
    await office.addPeople({
      id: 'second.manager',
      name: { fa: 'مدیر دوم', en: 'Second manager' },
      roles: ['manager'],
      groups: ['plan-policy'],
    });
    await server.runtime.deploy(leaveProcess(), manager);
  });

  after(() => office?.stop());

  it('should offer a form saved as a draft on /forms to the modeller opened before it, with its preview, and deploy the process carrying it', async () => {
    // given: a manager with the modeller open on the leave process (its lists loaded)
    const page = await office.signIn('plan-policy.head');
    await openLeaveProcess(page);
    // when: a form is designed on /forms and saved as a draft (on the server)
    await startForm(page, 'leave-note', { fa: 'یادداشت رخصتی', en: 'Leave note' });
    await addDaysField(page);
    await page.click('rv-form-designer [data-save]');
    await page.locator('rv-form-designer [data-message].ok').waitFor();
    await page.locator('rv-form-designer rv-form-draft-list [data-draft="leave-note"]').waitFor();
    // and, back in the modeller, the task is given that form in the office panel
    await openLeaveProcess(page);
    await selectElement(page, 'record');
    const form = await openGroup(page, 'فورم');
    const picker = form.getByLabel('فورم', { exact: true });
    const option = picker.locator('option[value="leave-note"]');
    await option.waitFor({ state: 'attached' });
    expect(await option.textContent()).to.equal('یادداشت رخصتی (leave-note) — مسوده');
    await picker.selectOption('leave-note');
    await modelHas(page, 'record', 'camunda:formKey', 'leave-note');
    // then: the preview lists the draft's field in Dari, with a note that it is a draft
    const preview = form.locator('.rv-form-preview[data-form="leave-note"][data-draft="true"]');
    await preview.locator('li[data-field="days"]').waitFor();
    expect(await preview.locator('li[data-field="days"] .rv-field-label').textContent()).to.equal(
      'تعداد روزها',
    );
    expect(await preview.locator('.rv-form-draft-note').textContent()).to.include(headName.fa);
    await page.screenshot({ path: screenshotPath('panel-draft-form-fa-1440') });
    // when: deployed from the modeller
    await deployFromModeller(page, server.url, 2);
    // then: the new version carries the draft's form, and the draft is closed
    expect((await server.runtime.listVersions('leave-request'))[0]).to.deep.include({
      version: 2,
      formKeys: ['leave-note'],
    });
    expect(await new FormDraftStore(server.db.conn).list()).to.deep.equal([]);
  });

  it('should show one manager’s draft to another, who deploys the changed form with the process as its next version while a running case keeps its form', async () => {
    // given: the process deployed with its form (up to 10 days) and a case waiting in its task
    const v = await server.runtime.deploy(leaveProcess('leave-note'), manager, {
      'leave-note': daysForm(10),
    });
    const running = await server.runtime.start({ key: 'leave-request' }, staff);
    // and a changed draft (up to 20 days) saved by the head of the directorate
    await new FormDraftStore(server.db.conn).put('leave-note', daysForm(20), 'plan-policy.head');
    // when: another manager, in another browser, opens the designer
    const page = await office.signIn('second.manager');
    await page.click('rv-app [data-nav="forms"]');
    const row = page.locator('rv-form-designer rv-form-draft-list [data-draft="leave-note"]');
    await row.waitFor();
    // then: the draft is listed with who saved it
    expect(await row.innerText()).to.include(headName.fa);
    await page.screenshot({ path: screenshotPath('designer-drafts-fa-1440'), fullPage: true });
    // when: they open it, and deploy it with the process that uses it, preselected, without redrawing
    await row.locator('[data-open-draft]').click();
    await page.waitForFunction(
      () =>
        (
          document
            .querySelector('rv-form-designer')
            ?.shadowRoot?.querySelector('#form-key') as HTMLInputElement
        )?.value === 'leave-note',
    );
    const process = page.locator('rv-form-designer [data-deploy-process]');
    expect(await process.inputValue()).to.equal('leave-request');
    await page.click('rv-form-designer [data-deploy]');
    const next = v.definition.version + 1;
    await page
      .locator('rv-form-designer [data-message].ok', { hasText: new Intl.NumberFormat('fa-AF').format(next) })
      .waitFor();
    // then: the next version carries the changed form, the draft list is empty
    const latest = (await server.runtime.listVersions('leave-request'))[0]!;
    expect(latest.version).to.equal(next);
    await page.locator('rv-form-designer [data-no-drafts]').waitFor();
    // and the running case keeps its version's form (11 days refused), a new case takes the new one
    const [oldTask] = (await server.runtime.listTasks({ instanceId: running.id })).items;
    const refused = await server.runtime
      .completeTask(oldTask!.id, { days: 11 }, staff)
      .catch((e: unknown) => e);
    expect((refused as { code?: string }).code).to.equal('RV_ERR_FORM_INVALID');
    const fresh = await server.runtime.start({ key: 'leave-request' }, staff);
    const [newTask] = (await server.runtime.listTasks({ instanceId: fresh.id })).items;
    await server.runtime.completeTask(newTask!.id, { days: 11 }, staff);
  });

  for (const size of [
    { name: '1440', viewport: { width: 1440, height: 900 } },
    { name: '390', viewport: { width: 390, height: 844 } },
  ])
    for (const lang of ['fa', 'en'] as const)
      it(`should lay out the designer's drafts and the panel's draft preview in ${lang} at ${size.name} px without sideways scrolling`, async () => {
        // given: a draft on the server, and a manager reading in this language at this size
        await new FormDraftStore(server.db.conn).put(
          'trip-days',
          { ...daysForm(5), 'x-title': { fa: 'روزهای سفر', en: 'Trip days' } },
          'plan-policy.head',
        );
        const id = `layout.${lang}.${size.name}`;
        await office.addPeople({
          id,
          name: { fa: 'مدیر آزمایشی', en: 'Trial manager' },
          roles: ['manager'],
          groups: ['plan-policy'],
          language: lang,
        });
        const page = await office.signIn(id, { viewport: size.viewport });
        const sideways = (selector: string) =>
          page.evaluate((s) => {
            const el = document.querySelector(s) as HTMLElement;
            return el.scrollWidth - el.clientWidth;
          }, selector);
        // when: the designer is opened on the draft
        await page.click('rv-app [data-nav="forms"]');
        const row = page.locator('rv-form-designer rv-form-draft-list [data-draft="trip-days"]');
        await row.waitFor();
        await row.locator('[data-open-draft]').click();
        await page.locator('rv-form-designer rv-form-draft-list [data-draft="trip-days"].current').waitFor();
        await page.locator('rv-form-designer [data-deploy-process]').selectOption('leave-request');
        // then: nothing scrolls sideways
        expect(await sideways('html'), 'designer').to.be.at.most(0);
        await page.screenshot({ path: shot(`designer-drafts-${lang}-${size.name}`), fullPage: true });
        await page.screenshot({ path: shot(`designer-drafts-${lang}-${size.name}-view`) });
        // when: the modeller's task is given the draft in the panel
        await openLeaveProcess(page);
        await selectElement(page, 'record');
        const form = await openGroup(page, lang === 'fa' ? 'فورم' : 'Form');
        await form.getByLabel(lang === 'fa' ? 'فورم' : 'Form', { exact: true }).selectOption('trip-days');
        await form.locator('.rv-form-preview[data-draft="true"] li[data-field="days"]').waitFor();
        await form.locator('.rv-form-preview').scrollIntoViewIfNeeded();
        // then
        expect(await panel(page).evaluate((el) => el.scrollWidth - el.clientWidth), 'panel').to.be.at.most(0);
        await page.screenshot({ path: shot(`panel-draft-preview-${lang}-${size.name}`) });
        await panel(page).screenshot({ path: shot(`panel-draft-preview-${lang}-${size.name}-panel`) });
      });
});
