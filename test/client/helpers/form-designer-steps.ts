import type { Page } from 'playwright-core';

/** A one-task process; the task uses `formKey` when given. */
export function trialProcess(formKey?: string): string {
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

/** Fills one field editor (the n-th, from 0). */
export async function editField(page: Page, n: number, values: Record<string, string>) {
  const editor = page.locator('rv-form-designer rv-form-field-editor').nth(n);
  for (const [key, value] of Object.entries(values)) {
    const input = editor.locator(`[data-edit="${key}"]`).first();
    if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
  return editor;
}

/** Opens the form designer from the navigation and names the new form (key, Dari and English titles). */
export async function startForm(page: Page, key: string, title: { fa: string; en: string }): Promise<void> {
  await page.click('rv-app [data-nav="forms"]');
  await page.locator('rv-form-designer #form-key').waitFor();
  await page.fill('rv-form-designer #form-key', key);
  await page.fill('rv-form-designer #form-title-fa', title.fa);
  await page.fill('rv-form-designer #form-title-en', title.en);
}

/** The first field: `days`, a required whole number from 1 to 10, labelled in both languages. */
export async function addDaysField(page: Page) {
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
  return days;
}
