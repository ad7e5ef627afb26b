import { h } from '@bpmn-io/properties-panel/preact';
import {
  SelectEntry,
  TextFieldEntry,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { i18n, t } from '../../i18n/i18n.js';
import { IdPicker } from './id-picker.js';
import {
  camundaProperty,
  processOf,
  setAttributesCommand,
  setCamundaPropertyCommands,
  splitList,
  type BpmnFactory,
  type DiagramElement,
} from './model-access.js';
import { officeCatalog } from './office-catalog.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

/** What the server accepts as a reference pattern (server/engine/reference-pattern.ts). */
export function validReferencePattern(pattern: string): boolean {
  return (
    pattern.length <= 60 && /^[\p{L}\p{N}{}#/_.-]+$/u.test(pattern) && pattern.match(/#+/g)?.length === 1
  );
}

function starterPicker(kind: 'group' | 'user') {
  const attr = kind === 'group' ? 'camunda:candidateStarterGroups' : 'camunda:candidateStarterUsers';
  return function StarterPicker({ element, id }: EntryProps) {
    const commandStack = useService<CommandStack>('commandStack');
    const proc = processOf(element)!;
    const value = proc.get(attr) as string | undefined;
    const groups = splitList(proc.get('camunda:candidateStarterGroups'));
    const users = splitList(proc.get('camunda:candidateStarterUsers'));
    return h(
      'div',
      null,
      h(IdPicker, {
        id,
        kind,
        label: kind === 'group' ? t('panel.starterGroups') : t('panel.starterUsers'),
        addLabel: kind === 'group' ? t('panel.starterGroups') : t('panel.starterUsers'),
        value,
        setValue: (v: string | undefined) =>
          runCommands(commandStack, [setAttributesCommand(element, proc, { [attr]: v })]),
      }),
      kind === 'user' && groups.length === 0 && users.length === 0
        ? h('p', { class: 'rv-picker-note', 'data-note': 'no-starters' }, t('panel.starters.none'))
        : null,
    );
  };
}

function ReferencePattern({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const proc = processOf(element)!;
  return h(TextFieldEntry, {
    element,
    id,
    label: t('panel.referencePattern'),
    description: t('panel.referencePattern.help'),
    debounce,
    getValue: () => camundaProperty(proc, 'reference-pattern') ?? '',
    validate: (v: string) =>
      !v?.trim() || validReferencePattern(v.trim()) ? null : t('panel.referencePattern.invalid'),
    setValue: (v: string, error?: string | null) => {
      if (error) return;
      runCommands(
        commandStack,
        setCamundaPropertyCommands(element, proc, 'reference-pattern', v, bpmnFactory),
      );
    },
  });
}

const OWNER_KINDS = new Set(['directorate', 'unit', 'leadership']);

function OwnerGroup({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const proc = processOf(element)!;
  const current = camundaProperty(proc, 'owner-group') ?? '';
  return h(SelectEntry, {
    element,
    id,
    label: t('panel.ownerGroup'),
    getValue: () => current,
    setValue: (v: string) =>
      runCommands(commandStack, setCamundaPropertyCommands(element, proc, 'owner-group', v, bpmnFactory)),
    getOptions: () => {
      const offices = officeCatalog.groups
        .filter((g) => OWNER_KINDS.has(g.kind))
        .sort((a, b) => i18n.text(a.name).localeCompare(i18n.text(b.name), i18n.lang))
        .map((g) => ({ value: g.id, label: i18n.text(g.name) || g.id }));
      if (current && !offices.some((o) => o.value === current))
        offices.push({ value: current, label: current });
      return [{ value: '', label: t('panel.ownerGroup.none') }, ...offices];
    },
  });
}

/** Who may start the process, its reference pattern and owning directorate (server/http/process-rules.ts). */
export function processEntries(element: DiagramElement): PanelEntry[] {
  if (!processOf(element)) return [];
  return [
    { id: 'rv-starter-groups', component: starterPicker('group') as PanelEntry['component'] },
    { id: 'rv-starter-users', component: starterPicker('user') as PanelEntry['component'] },
    {
      id: 'rv-reference-pattern',
      component: ReferencePattern as PanelEntry['component'],
      isEdited: isTextFieldEntryEdited,
    },
    { id: 'rv-owner-group', component: OwnerGroup as PanelEntry['component'], isEdited: isSelectEntryEdited },
  ];
}
