import { h } from '@bpmn-io/properties-panel/preact';
import { TextFieldEntry, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { t } from '../../i18n/i18n.js';
import { IdPicker } from './id-picker.js';
import { setAttributesCommand } from './model-access.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

type Kind = 'group' | 'user';
const ATTR: Record<Kind, string> = { group: 'camunda:candidateGroups', user: 'camunda:candidateUsers' };

function picker(kind: Kind) {
  return function CandidatePicker({ element, id }: EntryProps) {
    const commandStack = useService<CommandStack>('commandStack');
    const bo = element.businessObject;
    return h(IdPicker, {
      id,
      kind,
      label: kind === 'group' ? t('panel.candidateGroups') : t('panel.candidateUsers'),
      addLabel: kind === 'group' ? t('panel.candidateGroups.add') : t('panel.candidateUsers.add'),
      value: bo.get(ATTR[kind]) as string | undefined,
      setValue: (v: string | undefined) =>
        runCommands(commandStack, [setAttributesCommand(element, bo, { [ATTR[kind]]: v })]),
    });
  };
}

// the typed value stays editable: FEEL candidates (`="province-" + province`) have no picker
function text(kind: Kind) {
  return function CandidateText({ element, id }: EntryProps) {
    const commandStack = useService<CommandStack>('commandStack');
    const debounce = useService<(fn: unknown) => unknown>('debounceInput');
    const bo = element.businessObject;
    return h(TextFieldEntry, {
      element,
      id,
      label: kind === 'group' ? t('panel.candidateGroups.typed') : t('panel.candidateUsers.typed'),
      description: kind === 'group' ? t('panel.candidateGroups.help') : t('panel.candidateUsers.help'),
      debounce,
      getValue: () => (bo.get(ATTR[kind]) as string | undefined) ?? '',
      setValue: (v: string) =>
        runCommands(commandStack, [
          setAttributesCommand(element, bo, { [ATTR[kind]]: v.trim() || undefined }),
        ]),
    });
  };
}

/** Candidate groups and people of a user task: pickers from the directory, plus the typed value. */
export function assignmentEntries(): PanelEntry[] {
  const C = (c: unknown) => c as PanelEntry['component'];
  return [
    { id: 'rv-candidate-groups-picker', component: C(picker('group')) },
    { id: 'rv-candidate-groups', component: C(text('group')), isEdited: isTextFieldEntryEdited },
    { id: 'rv-candidate-users-picker', component: C(picker('user')) },
    { id: 'rv-candidate-users', component: C(text('user')), isEdited: isTextFieldEntryEdited },
  ];
}
