import { h } from '@bpmn-io/properties-panel/preact';
import { SelectEntry, isSelectEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { i18n, t, type MessageKey } from '../../i18n/i18n.js';
import { setAttributesCommand, type DiagramElement } from './model-access.js';
import { directory } from '../../services/directory.js';
import { officeCatalog } from './office-catalog.js';
import { runCommands, type CommandStack, type EntryProps, type PanelEntry } from './panel-kit.js';

function formKeyOf(element: DiagramElement): string {
  const v = element.businessObject.get('camunda:formKey');
  return typeof v === 'string' ? v : '';
}

function FormPicker({ element, id }: EntryProps) {
  const commandStack = useService<CommandStack>('commandStack');
  const current = formKeyOf(element);
  return h(SelectEntry, {
    element,
    id,
    label: t('panel.form'),
    getValue: () => formKeyOf(element),
    setValue: (v: string) =>
      runCommands(commandStack, [
        setAttributesCommand(element, element.businessObject, { 'camunda:formKey': v || undefined }),
      ]),
    getOptions: () => {
      const forms = [...officeCatalog.forms]
        .sort((a, b) => i18n.text(a.title).localeCompare(i18n.text(b.title), i18n.lang))
        .map((f) => {
          const title = i18n.text(f.title) || f.key;
          return {
            value: f.key,
            label: f.draft ? t('panel.form.draftOption', { title, key: f.key }) : `${title} (${f.key})`,
          };
        });
      if (current && !officeCatalog.form(current))
        forms.unshift({ value: current, label: t('panel.form.unknown', { key: current }) });
      return [{ value: '', label: t('panel.form.none') }, ...forms];
    },
  });
}

function typeLabel(type: string): string {
  const key = `panel.form.type.${type}` as MessageKey;
  const text = t(key);
  return text === key ? type : text;
}

/**
 * The chosen form's fields in the current language, with their kind and whether they are required; for a
 * designer's draft, a note that deploying the process deploys the form with it.
 */
function FormPreview({ element, id }: EntryProps) {
  const form = officeCatalog.form(formKeyOf(element));
  if (!form) return null;
  return h(
    'div',
    {
      class: 'bio-properties-panel-entry rv-form-preview',
      'data-entry-id': id,
      'data-form': form.key,
      'data-draft': form.draft ? 'true' : undefined,
    },
    form.draft
      ? h(
          'p',
          { class: 'rv-form-draft-note' },
          t('panel.form.draftNote', { user: directory.userName(form.draft.updatedBy) }),
        )
      : null,
    h('span', { class: 'bio-properties-panel-label' }, t('panel.form.fields')),
    h(
      'ul',
      null,
      form.fields.map((f) =>
        h(
          'li',
          { key: f.name, 'data-field': f.name },
          h('bdi', { class: 'rv-field-label' }, i18n.text(f.label)),
          h('span', { class: 'rv-field-type' }, typeLabel(f.kind)),
          f.required ? h('span', { class: 'rv-field-required' }, t('panel.form.required')) : null,
        ),
      ),
    ),
  );
}

/** The form of a user task or of the process's start event, picked from the forms the engine can run. */
export function formEntries(): PanelEntry[] {
  return [
    { id: 'rv-form-key', component: FormPicker as PanelEntry['component'], isEdited: isSelectEntryEdited },
    { id: 'rv-form-preview', component: FormPreview as PanelEntry['component'] },
  ];
}
