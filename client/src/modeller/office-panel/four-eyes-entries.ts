import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { i18n, t } from '../../i18n/i18n.js';
import {
  camundaProperty,
  earlierSteps,
  isA,
  setCamundaPropertyCommands,
  splitList,
  type BpmnFactory,
  type ModdleElement,
} from './model-access.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

function stepName(step: ModdleElement): string {
  const fa = camundaProperty(step, 'name-fa');
  const en = step.name;
  return (i18n.lang === 'fa' ? fa || en : en || fa) || step.id!;
}

/**
 * The four-eyes rule (`camunda:property separate-from`): the earlier user tasks, and the start, whose performer
 * may not do this task. The server refuses such a claim or completion (RV_ERR_SEPARATION_OF_DUTIES).
 */
function FourEyes({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const bo = element.businessObject;
  const chosen = splitList(camundaProperty(bo, 'separate-from'));
  const earlier = earlierSteps(bo);
  const known = new Set(earlier.map((s) => s.id!));
  const stray = chosen.filter((c) => !known.has(c));
  const toggle = (stepId: string, on: boolean) => {
    const next = on ? [...chosen, stepId] : chosen.filter((c) => c !== stepId);
    runCommands(
      commandStack,
      setCamundaPropertyCommands(element, bo, 'separate-from', next.join(','), bpmnFactory),
    );
  };
  const row = (stepId: string, label: string, note?: string) =>
    h(
      'li',
      { key: stepId },
      h(
        'label',
        { class: 'rv-check' },
        h('input', {
          type: 'checkbox',
          name: 'separate-from',
          value: stepId,
          checked: chosen.includes(stepId),
          onChange: (e: Event) => toggle(stepId, (e.target as HTMLInputElement).checked),
        }),
        h('bdi', null, label),
        note ? h('span', { class: 'rv-field-type' }, note) : null,
      ),
    );
  return h(
    'div',
    { class: 'bio-properties-panel-entry rv-four-eyes', 'data-entry-id': id },
    h('p', { class: 'bio-properties-panel-description' }, t('panel.fourEyes.help')),
    earlier.length || stray.length
      ? h(
          'ul',
          { class: 'rv-check-list' },
          earlier.map((s) =>
            row(s.id!, stepName(s), isA(s, 'bpmn:StartEvent') ? t('panel.fourEyes.starter') : undefined),
          ),
          stray.map((s) => row(s, s, t('panel.fourEyes.notEarlier'))),
        )
      : h('p', { class: 'rv-picker-note' }, t('panel.fourEyes.none')),
  );
}

export function fourEyesEntries(): PanelEntry[] {
  return [{ id: 'rv-separate-from', component: FourEyes as PanelEntry['component'] }];
}
