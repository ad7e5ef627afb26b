import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import {
  camundaProperty,
  earlierSteps,
  formKeysOfProcess,
  splitList,
  type ModdleElement,
} from '../../../client/src/modeller/office-panel/model-access.js';
import { projectRoot } from '../../../server/project-root.js';

async function elements(file: string): Promise<Map<string, ModdleElement>> {
  const xml = fs.readFileSync(path.join(projectRoot(), file), 'utf8');
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  const { elementsById } = (await moddle.fromXML(xml)) as unknown as {
    elementsById: Record<string, ModdleElement>;
  };
  return new Map(Object.entries(elementsById));
}

describe('client/modeller/office-panel/model-access', () => {
  it('should offer only the start and the user tasks before a task for its four-eyes rule', async () => {
    // given: policy approval (draft → directorate review → legal review → deputy decision, with a return loop)
    const byId = await elements('processes/policy-approval.bpmn');
    // when
    const before = earlierSteps(byId.get('review-directorate')!).map((s) => s.id);
    // then: what the server's rule can name for that task (its current rule among them)
    const rule = splitList(camundaProperty(byId.get('review-directorate')!, 'separate-from'));
    for (const id of rule) expect(before).to.include(id);
    // the start and every user task that can run before it, through the return loop too; no gateway, no
    // escalation task (those only end a timer branch), not the task itself
    expect(before).to.have.members([
      'start-policy-requested',
      'draft-policy',
      'review-legal',
      'decide-deputy',
      'record-commission-decision',
    ]);
  });

  it('should not offer steps that only come after the task', async () => {
    // given
    const byId = await elements('test/client/fixtures/panel-trip.bpmn');
    // then
    expect(earlierSteps(byId.get('draft')!).map((s) => s.id)).to.deep.equal(['start']);
    expect(
      earlierSteps(byId.get('review')!)
        .map((s) => s.id)
        .sort(),
    ).to.deep.equal(['draft', 'start']);
  });

  it('should list the forms a process uses, for the due-date builder’s date variables', async () => {
    // given
    const byId = await elements('processes/policy-approval.bpmn');
    // when: asked from one task
    const keys = formKeysOfProcess(byId.get('review-directorate')!);
    // then: every form of the process, not only that task's own
    expect(keys).to.have.members([
      'policy-request',
      'policy-draft',
      'policy-review',
      'overdue-follow-up',
      'policy-deputy-decision',
      'commission-decision',
    ]);
  });
});
