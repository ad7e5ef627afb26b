import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { screenshotPath } from './helpers/browser.js';
import { addDaysField, startForm, trialProcess } from './helpers/form-designer-steps.js';
import { modelHas, openGroup, panel } from './helpers/modeller-panel.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js services reached through window.ravandModeller */
type Win = { ravandModeller: { get(name: string): any } };

/** The id of the one selected element on the canvas. */
const selectedId = (page: Page) =>
  page.evaluate(() => (window as unknown as Win).ravandModeller.get('selection').get()[0].id as string);

/** The designer spec's one-task process, drawn with room for a task between the start and "record". */
function roomyTrialProcess(): string {
  const named = (tag: string, id: string, en: string, fa: string, flows: string) =>
    `<bpmn:${tag} id="${id}" name="${en}"><bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="${fa}" /></camunda:properties></bpmn:extensionElements>${flows}</bpmn:${tag}>`;
  return trialProcess()
    .replace(
      '</bpmn:userTask>',
      '<bpmn:incoming>flow-start-record</bpmn:incoming><bpmn:outgoing>flow-record-end</bpmn:outgoing></bpmn:userTask>',
    )
    .replace(
      '<bpmn:startEvent id="start" />',
      named(
        'startEvent',
        'start',
        'Leave asked',
        'درخواست رخصتی رسید',
        '<bpmn:outgoing>flow-start-record</bpmn:outgoing>',
      ),
    )
    .replace(
      '<bpmn:endEvent id="end" />',
      named(
        'endEvent',
        'end',
        'Leave recorded',
        'رخصتی ثبت شد',
        '<bpmn:incoming>flow-record-end</bpmn:incoming>',
      ),
    )
    .replace('<dc:Bounds x="200" y="78"', '<dc:Bounds x="420" y="78"')
    .replace('<dc:Bounds x="360" y="100"', '<dc:Bounds x="600" y="100"')
    .replace('<di:waypoint x="200" y="118" />', '<di:waypoint x="420" y="118" />')
    .replace(
      '<di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" />',
      '<di:waypoint x="520" y="118" /><di:waypoint x="600" y="118" />',
    );
}

describe('client/manager story (design a form, use it in a new task, compare, deploy, complete in Dari)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const manager: Actor = { id: 'plan-policy.head', groups: ['plan-policy'], roles: ['manager'] };
  const staff: Actor = { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] };

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addDemoUsers(['plan-policy.head', 'plan-policy.officer']);
    await server.runtime.deploy(roomyTrialProcess(), manager);
  });

  after(() => office?.stop());

  it('should take a new form from the designer into a new task, show the draft diff with the running instance, deploy it and let staff complete it in Dari', async () => {
    // given: one case already running on version 1 (waiting in "record")
    const before = await server.runtime.start({ key: 'leave-request' }, staff);

    // when: the manager designs a form on /forms, in Dari, and deploys it with the leave process
    const page = await office.signIn('plan-policy.head');
    await startForm(page, 'leave-days', { fa: 'روزهای رخصتی', en: 'Leave days' });
    await addDaysField(page);
    await page.locator('rv-form-designer [data-preview] rv-json-form').getByLabel('تعداد روزها').waitFor();
    await page.locator('rv-form-designer [data-deploy-process]').selectOption('leave-request');
    await page.click('rv-form-designer [data-deploy]');
    await page.locator('rv-form-designer [data-message].ok', { hasText: '۲' }).waitFor();
    expect((await server.runtime.listVersions('leave-request'))[0]).to.deep.include({
      version: 2,
      formKeys: ['leave-days'],
    });

    // when: in the modeller, a task is dropped on the flow from the start to "record", named in Dari
    await page.click('rv-app [data-nav="modeller"]');
    await page.selectOption('rv-modeller select[name="process"]', 'leave-request');
    const flow = page.locator('rv-modeller .djs-element[data-element-id="flow-start-record"]');
    await flow.waitFor({ state: 'attached' });
    await page.click('rv-modeller .djs-palette .entry.bpmn-icon-task');
    const box = (await flow.boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x - 5, y);
    await page.mouse.move(x, y);
    await page.mouse.click(x, y);
    await page.keyboard.type('شمارش روزهای رخصتی');
    // (a click on the empty canvas, clear of the palette, ends the label editing)
    const canvas = page.locator('rv-modeller .rv-modeller-canvas');
    const area = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: area.width - 15, y: area.height * 0.55 } });
    // and clicks the new task, like a person, to see it in the panel
    await page.click('rv-modeller .djs-shape[data-element-id^="Activity_"]');
    await page.screenshot({ path: screenshotPath('story-dropped-fa-1440') });
    await panel(page).locator('.bio-properties-panel-header-type', { hasText: 'وظیفه' }).waitFor();
    // and makes it a user task through the context pad's replace menu
    await page.click('rv-modeller .djs-context-pad .entry[data-action="replace"]');
    await page.click('.djs-popup [data-id="replace-with-user-task"]');
    await page.waitForFunction(
      () => (window as unknown as Win).ravandModeller.get('selection').get()[0]?.type === 'bpmn:UserTask',
    );
    const taskId = await selectedId(page);
    // and given its English name, group and the new form in the office panel
    const general = await openGroup(page, 'عمومی');
    await general.getByLabel('نام انگلیسی').fill('Count the leave days');
    const assignment = await openGroup(page, 'تعیین مسئول');
    await assignment.getByLabel('افزودن گروه نامزد').selectOption('plan-policy');
    const form = await openGroup(page, 'فورم');
    await form.getByLabel('فورم', { exact: true }).selectOption('leave-days');
    // then: the task carries the designed form (the pick went through the panel's debounced edit)
    await modelHas(page, taskId, 'camunda:formKey', 'leave-days');
    // and the panel previews the designed form's field in Dari
    await form
      .locator('.rv-form-preview[data-form="leave-days"] li[data-field="days"]', { hasText: 'تعداد روزها' })
      .waitFor();
    await page.screenshot({ path: screenshotPath('story-panel-form-fa-1440') });

    // when: the draft is compared with the deployed version
    await page.click('rv-modeller [data-action="compare"]');
    // then: the new task is listed as added and the running case is counted (it waits in "record", kept)
    await page.locator(`rv-bpmn-diff li[data-kind="added"][data-element="${taskId}"]`).waitFor();
    const impact = page.locator('rv-modeller .rv-impact[data-running="1"][data-migratable="1"]');
    await impact.waitFor();
    await page.screenshot({ path: screenshotPath('story-diff-fa-1440'), fullPage: true });

    // when: deployed with the modeller's Deploy button (confirming warnings, if the drop left any)
    await page.click('rv-modeller [data-action="deploy"]');
    const deployed = page.waitForURL(`${server.url}/modeller/leave-request/3`);
    const warned = page
      .locator('rv-modeller [data-action="deploy-anyway"]')
      .waitFor()
      .then(() => page.click('rv-modeller [data-action="deploy-anyway"]'))
      .catch(() => undefined); // no warnings: deployed straight away
    await Promise.race([deployed.catch(() => undefined), warned]);
    await deployed.catch(async (err) => {
      const list = await page.locator('rv-modeller [data-lint-list]').allInnerTexts();
      await page.screenshot({ path: screenshotPath('story-deploy-failed'), fullPage: true });
      throw new Error(`not deployed; lint list: ${list.join(' | ')}`, { cause: err });
    });
    // then: version 3 has the new task with both names, the group and the form
    const v3 = (await server.runtime.listVersions('leave-request'))[0]!;
    expect(v3.version).to.equal(3);
    expect(v3.formKeys).to.include('leave-days');
    const added = v3.elements.find((e) => e.id === taskId);
    expect(added?.name).to.deep.equal({ fa: 'شمارش روزهای رخصتی', en: 'Count the leave days' });
    // and the case started before is still on version 1, waiting in "record"
    expect((await server.runtime.getInstance(before.id)).version).to.equal(1);

    // when: a staff member's new case reaches the new task, which they open and complete in Dari
    const instance = await server.runtime.start({ key: 'leave-request' }, staff);
    const [task] = (await server.runtime.listTasks({ instanceId: instance.id })).items;
    expect(task).to.include({ elementId: taskId, formKey: 'leave-days' });
    expect(task!.candidateGroups).to.deep.equal(['plan-policy']);
    const officer = await office.signIn('plan-policy.officer');
    await officer.locator('rv-inbox', { hasText: 'شمارش روزهای رخصتی' }).waitFor();
    await officer.goto(`${server.url}/inbox/task/${encodeURIComponent(task!.id)}`);
    const taskForm = officer.locator('rv-task-view rv-json-form');
    await taskForm.getByLabel('تعداد روزها').fill('12');
    await taskForm.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the designed limit holds on the client
    await taskForm.locator('[data-field="days"]').waitFor();
    await officer.screenshot({ path: screenshotPath('story-task-fa-1440'), fullPage: true });
    // when: corrected
    await taskForm.getByLabel('تعداد روزها').fill('4');
    await taskForm.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the server takes the form's data and the case moves on to "record"
    await officer.waitForURL(`${server.url}/inbox`);
    await server.runtime.idle();
    const history = await server.runtime.taskHistory(instance.id);
    expect(history.map((h) => h.data)).to.deep.equal([{ days: 4 }]);
    const [next] = (await server.runtime.listTasks({ instanceId: instance.id })).items;
    expect(next?.elementId).to.equal('record');
  });
});
