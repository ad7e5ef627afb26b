import { h } from '@bpmn-io/properties-panel/preact';
import { useState } from '@bpmn-io/properties-panel/preact/hooks';
import {
  NumberFieldEntry,
  TextFieldEntry,
  isNumberFieldEntryEdited,
  isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { t } from '../../i18n/i18n.js';
import { buildDueDate, isVariableName, parseDueDate, type DueRule } from './due-date.js';
import { formKeysOfProcess, setAttributesCommand, type DiagramElement } from './model-access.js';
import { officeCatalog } from './office-catalog.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

type Kind = DueRule['kind'];
const KINDS: Array<{ kind: Kind; label: () => string }> = [
  { kind: 'none', label: () => t('panel.due.none') },
  { kind: 'after-start', label: () => t('panel.due.afterStart') },
  { kind: 'after-variable', label: () => t('panel.due.afterVariable') },
  { kind: 'variable', label: () => t('panel.due.variable') },
  { kind: 'custom', label: () => t('panel.due.custom') },
];

function dueOf(element: DiagramElement): string {
  const v = element.businessObject.get('camunda:dueDate');
  return typeof v === 'string' ? v : '';
}

/** Date fields of the forms this process uses: the variables a due date can follow. */
function dateVariables(element: DiagramElement): string[] {
  const names = new Set<string>();
  for (const key of formKeysOfProcess(element.businessObject))
    for (const f of officeCatalog.form(key)?.fields ?? []) if (f.kind === 'date') names.add(f.name);
  return [...names].sort();
}

function summary(rule: DueRule): string {
  const days = rule.kind === 'after-start' || rule.kind === 'after-variable' ? rule.days : 0;
  if (rule.kind === 'after-start') return t('panel.due.summary.afterStart', { days });
  if (rule.kind === 'after-variable')
    return t('panel.due.summary.afterVariable', { days, variable: rule.variable });
  if (rule.kind === 'variable') return t('panel.due.summary.variable', { variable: rule.variable });
  return '';
}

/** The due-date builder: a rule, its working days and date variable; writes the FEEL shown below it. */
function DueDateBuilder({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const [forcedCustom, setForcedCustom] = useState(false);
  const parsed = parseDueDate(dueOf(element));
  const rule: DueRule =
    forcedCustom && parsed.kind !== 'none' ? { kind: 'custom', text: dueOf(element) } : parsed;
  const variables = dateVariables(element);
  const write = (next: DueRule) =>
    runCommands(commandStack, [
      setAttributesCommand(element, element.businessObject, { 'camunda:dueDate': buildDueDate(next) }),
    ]);
  const days = rule.kind === 'after-start' || rule.kind === 'after-variable' ? rule.days : 5;
  const variable =
    rule.kind === 'after-variable' || rule.kind === 'variable' ? rule.variable : (variables[0] ?? 'deadline');
  const choose = (kind: Kind) => {
    setForcedCustom(kind === 'custom');
    if (kind === 'none') write({ kind: 'none' });
    else if (kind === 'after-start') write({ kind, days });
    else if (kind === 'after-variable') write({ kind, days, variable });
    else if (kind === 'variable') write({ kind, variable });
  };
  const setDays = (raw: string) => {
    const n = Math.round(Number(raw));
    if (!Number.isFinite(n) || n < 0 || n > 365) return;
    if (rule.kind === 'after-start') write({ kind: 'after-start', days: n });
    if (rule.kind === 'after-variable') write({ ...rule, days: n });
  };
  const setVariable = (raw: string) => {
    const name = raw.trim();
    if (!isVariableName(name)) return;
    if (rule.kind === 'after-variable') write({ ...rule, variable: name });
    if (rule.kind === 'variable') write({ kind: 'variable', variable: name });
  };
  const listId = `${id}-variables`;
  return h(
    'div',
    { class: 'bio-properties-panel-entry rv-due', 'data-entry-id': id, 'data-rule': rule.kind },
    h('label', { class: 'bio-properties-panel-label', for: `${id}-rule` }, t('panel.due.rule')),
    h(
      'select',
      {
        id: `${id}-rule`,
        class: 'bio-properties-panel-input',
        name: 'due-rule',
        value: rule.kind,
        onChange: (e: Event) => choose((e.target as HTMLSelectElement).value as Kind),
      },
      KINDS.map((k) => h('option', { value: k.kind, key: k.kind }, k.label())),
    ),
    rule.kind === 'after-start' || rule.kind === 'after-variable'
      ? h(
          'div',
          { class: 'rv-due-row' },
          h('label', { class: 'bio-properties-panel-label', for: `${id}-days` }, t('panel.due.days')),
          h('input', {
            id: `${id}-days`,
            name: 'due-days',
            class: 'bio-properties-panel-input',
            type: 'number',
            min: 0,
            max: 365,
            step: 1,
            value: String(days),
            onChange: (e: Event) => setDays((e.target as HTMLInputElement).value),
          }),
        )
      : null,
    rule.kind === 'after-variable' || rule.kind === 'variable'
      ? h(
          'div',
          { class: 'rv-due-row' },
          h(
            'label',
            { class: 'bio-properties-panel-label', for: `${id}-variable` },
            t('panel.due.variableName'),
          ),
          h('input', {
            id: `${id}-variable`,
            name: 'due-variable',
            class: 'bio-properties-panel-input',
            dir: 'ltr',
            list: listId,
            value: variable,
            onChange: (e: Event) => setVariable((e.target as HTMLInputElement).value),
          }),
          h(
            'datalist',
            { id: listId },
            variables.map((v) => h('option', { value: v, key: v })),
          ),
        )
      : null,
    summary(rule) ? h('p', { class: 'rv-picker-note', 'data-due-summary': '' }, summary(rule)) : null,
  );
}

function DueDateFeel({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(TextFieldEntry, {
    element,
    id,
    label: t('panel.due.feel'),
    description: t('panel.due.feel.help'),
    debounce,
    getValue: () => dueOf(element),
    setValue: (v: string) =>
      runCommands(commandStack, [
        setAttributesCommand(element, element.businessObject, { 'camunda:dueDate': v.trim() || undefined }),
      ]),
  });
}

function Priority({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(NumberFieldEntry, {
    element,
    id,
    label: t('panel.priority'),
    description: t('panel.priority.help'),
    debounce,
    min: 0,
    max: 100,
    step: 1,
    getValue: () => {
      const v = element.businessObject.get('camunda:priority');
      return v === undefined || v === '' ? undefined : Number(v);
    },
    setValue: (v: number | undefined) => {
      const n =
        v === undefined || v === null || Number.isNaN(Number(v))
          ? undefined
          : Math.min(100, Math.max(0, Math.round(Number(v))));
      runCommands(commandStack, [
        setAttributesCommand(element, element.businessObject, {
          'camunda:priority': n === undefined ? undefined : String(n),
        }),
      ]);
    },
  });
}

/** Due date (builder and FEEL) and priority of a user task. */
export function deadlineEntries(): PanelEntry[] {
  const C = (c: unknown) => c as PanelEntry['component'];
  return [
    { id: 'rv-due-builder', component: C(DueDateBuilder) },
    { id: 'rv-due-date', component: C(DueDateFeel), isEdited: isTextFieldEntryEdited },
    { id: 'rv-priority', component: C(Priority), isEdited: isNumberFieldEntryEdited },
  ];
}
