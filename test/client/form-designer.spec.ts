import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { screenshotPath } from './helpers/browser.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

/** A one-task process; the task uses `formKey` when given. */
function trialProcess(formKey?: string): string {
  const form = formKey ? ` camunda:formKey="${formKey}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs-leave" targetNamespace="http://ravand.test">
  <bpmn:process id="leave-request" name="Leave request" isExecutable="true">
    <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="درخواست رخصتی" /><camunda:property name="starter-groups" value="plan-policy" /></camunda:properties></bpmn:extensionElements>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="flow-start-record" sourceRef="start" targetRef="record" />
    <bpmn:userTask id="record" name="Record the leave" camunda:candidateGroups="plan-policy"${form}>
      <bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="ثبت رخصتی" /></camunda:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow-record-end" sourceRef="record" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="leave-request">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="record_di" bpmnElement="record"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="flow-start-record_di" bpmnElement="flow-start-record"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="flow-record-end_di" bpmnElement="flow-record-end"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

const SHOTS = '/work/shots/w-forms';

/** Saves a full-page screenshot where the browser specs keep theirs and, when present, in the review folder. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  await page.screenshot({ path: screenshotPath(`${name}-view`) });
  if (fs.existsSync(SHOTS))
    for (const file of [name, `${name}-view`])
      fs.copyFileSync(screenshotPath(file), path.join(SHOTS, `${file}.png`));
}

describe('client/components/rv-form-designer (a manager designs a form, a staff user fills it in)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const manager: Actor = { id: 'plan-policy.head', groups: ['plan-policy'], roles: ['manager'] };
  const staff: Actor = { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] };

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addDemoUsers(['plan-policy.head', 'plan-policy.officer']);
    await office.addPeople({
      id: 'forms.english',
      roles: ['manager'],
      groups: ['plan-policy'],
      language: 'en',
    });
    await server.runtime.deploy(trialProcess(), manager);
  });

  after(async () => {
    await office?.stop();
  });

  /** Fills one field editor (the n-th, from 0). */
  async function editField(page: Page, n: number, values: Record<string, string>) {
    const editor = page.locator('rv-form-designer rv-form-field-editor').nth(n);
    for (const [key, value] of Object.entries(values)) {
      const input = editor.locator(`[data-edit="${key}"]`).first();
      if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
      else await input.fill(value);
    }
    return editor;
  }

  it('should let a manager design, check and deploy a form that a staff user then completes in Dari', async () => {
    // given: the manager on the form designer, in Dari
    const page = await office.signIn('plan-policy.head');
    await page.click('rv-app [data-nav="forms"]');
    await page.locator('rv-form-designer #form-key').waitFor();

    // when: a form with a bounded number, a choice, and a note shown only for family leave
    await page.fill('rv-form-designer #form-key', 'leave-days');
    await page.fill('rv-form-designer #form-title-fa', 'درخواست رخصتی');
    await page.fill('rv-form-designer #form-title-en', 'Leave request');
    const days = await editField(page, 0, {
      name: 'days',
      type: 'number',
      'label-fa': 'تعداد روزها',
      'label-en': 'Days',
      minimum: '1',
      maximum: '10',
    });
    await days.locator('[data-edit="required"]').check();
    await days.locator('[data-edit="integer"]').check();
    await page.click('rv-form-designer [data-add-field]');
    const reason = await editField(page, 1, {
      name: 'reason',
      type: 'choice',
      'label-fa': 'دلیل',
      'label-en': 'Reason',
    });
    await reason.locator('[data-edit="required"]').check();
    for (const [value, fa, en] of [
      ['sick', 'مریضی', 'Sickness'],
      ['family', 'فامیلی', 'Family'],
    ]) {
      await reason.locator('[data-add-option]').click();
      const option = reason.locator('[data-option]').last();
      await option.locator('[data-edit="option-value"]').fill(value!);
      await option.locator('[data-edit="option-fa"]').fill(fa!);
      await option.locator('[data-edit="option-en"]').fill(en!);
    }
    await page.click('rv-form-designer [data-add-field]');
    const note = await editField(page, 2, {
      name: 'note',
      type: 'longText',
      'label-fa': 'توضیح',
      'label-en': 'Explanation',
      'max-length': '500',
      'show-if': 'reason',
    });
    await note.locator('[data-edit="show-if-equals"]').selectOption('family');
    await note.locator('[data-edit="required"]').check();

    // then: the live preview shows the form in Dari, without the note until family leave is chosen
    const preview = page.locator('rv-form-designer [data-preview] rv-json-form');
    await preview.getByLabel('تعداد روزها').waitFor();
    expect(await preview.getByLabel('توضیح').count()).to.equal(0);
    await preview.getByLabel('تعداد روزها').fill('12');
    await preview.getByRole('radio', { name: 'فامیلی' }).check();
    await preview.getByLabel('توضیح').waitFor();

    // when: the answers are checked on the client and on the server
    await page.click('rv-form-designer [data-check]');
    // then: both find the same two problems (too many days, the note now required)
    const message = page.locator('rv-form-designer [data-message]');
    await message.waitFor();
    expect(await message.textContent()).to.contain('۲');
    await preview.locator('[data-field="days"]').waitFor();
    await preview.locator('[data-field="note"]').waitFor();
    await page.locator('rv-form-designer [data-preview]').scrollIntoViewIfNeeded();
    await shoot(page, 'designer-check-fa-1440');

    // when: corrected
    await preview.getByLabel('تعداد روزها').fill('5');
    await preview.getByLabel('توضیح').fill('عروسی برادرم');
    await page.click('rv-form-designer [data-check]');
    await page.waitForFunction(() =>
      document.querySelector('rv-form-designer')?.shadowRoot?.querySelector('[data-message].ok'),
    );
    // and previewed in English, saved and deployed with the leave process
    await page.click('rv-form-designer [data-preview-lang="en"]');
    await preview.getByLabel('Days').waitFor();
    await page.click('rv-form-designer [data-save]');
    await page.locator('rv-form-designer [data-deploy-process]').selectOption('leave-request');
    await page.click('rv-form-designer [data-deploy]');
    await page.locator('rv-form-designer [data-message].ok', { hasText: '۲' }).waitFor();
    const v2 = (await server.runtime.listVersions('leave-request'))[0]!;
    expect(v2).to.deep.include({ version: 2, formKeys: ['leave-days'] });

    // given: the modeller gives the task the form (a new version keeps the deployed form)
    const v3 = await server.runtime.deploy(trialProcess('leave-days'), manager);
    expect(v3.definition.formKeys).to.deep.equal(['leave-days']);
    const instance = await server.runtime.start({ key: 'leave-request' }, staff);
    const [task] = (await server.runtime.listTasks({ instanceId: instance.id })).items;

    // when: the staff member opens the task in Dari and asks for too many days
    const officer = await office.signIn('plan-policy.officer');
    await officer.goto(`${server.url}/inbox/task/${encodeURIComponent(task!.id)}`);
    const form = officer.locator('rv-task-view rv-json-form');
    await form.getByLabel('تعداد روزها').waitFor();
    await form.getByLabel('تعداد روزها').fill('11');
    await form.getByRole('radio', { name: 'مریضی' }).check();
    expect(await form.getByLabel('توضیح').count()).to.equal(0);
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the designed limit stops it on the client
    await form.locator('[data-field="days"]').waitFor();
    // when: corrected, family leave with its note
    await form.getByLabel('تعداد روزها').fill('3');
    await form.getByRole('radio', { name: 'فامیلی' }).check();
    await form.getByLabel('توضیح').fill('مراسم فامیلی');
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the server accepts it and the case moves on with the data
    await officer.waitForURL(`${server.url}/inbox`);
    await server.runtime.idle();
    const done = await server.runtime.getInstance(instance.id).catch(() => undefined);
    const history = await server.runtime.taskHistory(instance.id);
    expect(history.map((h) => h.data)).to.deep.equal([{ days: 3, reason: 'family', note: 'مراسم فامیلی' }]);
    expect(done?.status ?? 'completed').to.equal('completed');
  });

  for (const [user, lang] of [
    ['plan-policy.head', 'fa'],
    ['forms.english', 'en'],
  ] as const) {
    for (const width of [1440, 390]) {
      it(`should lay the designer out for ${lang} at ${width} px with nothing cut off`, async () => {
        // given
        const page = await office.signIn(user, { viewport: { width, height: width > 500 ? 900 : 844 } });
        await page.goto(`${server.url}/forms`);
        await page.locator('rv-form-designer #form-key').waitFor();
        // when
        await page.locator('rv-form-designer [data-open]').selectOption('deployment:leave-days');
        await page.locator('rv-form-designer rv-form-field-editor').nth(2).waitFor();
        // then
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).to.be.at.most(0);
        await shoot(page, `designer-${lang}-${width}`);
      });
    }
  }
});
