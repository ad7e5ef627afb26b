import { h } from '@bpmn-io/properties-panel/preact';
import { i18n, t } from '../../i18n/i18n.js';
import { isExpression, splitList } from './model-access.js';
import { officeCatalog } from './office-catalog.js';
import { bothNames } from './panel-kit.js';

const KINDS = ['directorate', 'unit', 'leadership', 'province'] as const;

export interface IdPickerProps {
  id: string;
  label: string;
  /** Accessible name and first option of the add list. */
  addLabel: string;
  kind: 'group' | 'user';
  value: string | undefined;
  setValue(value: string | undefined): void;
}

function nameOf(kind: 'group' | 'user', id: string): { shown: string; title: string } {
  const found = kind === 'group' ? officeCatalog.group(id) : officeCatalog.user(id);
  if (!found) return { shown: id, title: id };
  return { shown: i18n.text(found.name), title: `${bothNames(found.name, id)} (${id})` };
}

function groupOptions(chosen: string[]) {
  const free = officeCatalog.groups.filter((g) => !chosen.includes(g.id));
  const byKind = (kind: string) =>
    free
      .filter((g) =>
        (KINDS as readonly string[]).includes(kind)
          ? g.kind === kind
          : !(KINDS as readonly string[]).includes(g.kind),
      )
      .sort((a, b) => i18n.text(a.name).localeCompare(i18n.text(b.name), i18n.lang))
      .map((g) => h('option', { value: g.id }, bothNames(g.name, g.id)));
  return [...KINDS, 'other' as const]
    .map((kind) => ({ kind, options: byKind(kind) }))
    .filter((k) => k.options.length)
    .map((k) => h('optgroup', { label: t(`panel.kind.${k.kind}`) }, k.options));
}

function userOptions(chosen: string[]) {
  return officeCatalog.users
    .filter((u) => !chosen.includes(u.id))
    .sort((a, b) => i18n.text(a.name).localeCompare(i18n.text(b.name), i18n.lang))
    .map((u) => h('option', { value: u.id }, `${bothNames(u.name, u.id)} (${u.id})`));
}

/**
 * Chips of the chosen groups or people (names in the current language, both languages and the id on hover),
 * each removable, and a list to add one more; a run-time expression is shown, not edited, here.
 */
export function IdPicker(props: IdPickerProps) {
  const { id, label, addLabel, kind, value, setValue } = props;
  const ids = splitList(value);
  const computed = isExpression(value);
  const labelId = `${id}-label`;
  return h(
    'div',
    { class: 'bio-properties-panel-entry rv-picker', 'data-entry-id': id, 'data-picker': kind },
    h('span', { class: 'bio-properties-panel-label', id: labelId }, label),
    computed
      ? h('p', { class: 'rv-picker-note' }, t('panel.computed', { expr: value ?? '' }))
      : [
          ids.length
            ? h(
                'ul',
                { class: 'rv-chips' },
                ids.map((x) => {
                  const name = nameOf(kind, x);
                  return h(
                    'li',
                    { class: 'rv-chip', 'data-value': x, title: name.title, key: x },
                    h('bdi', null, name.shown),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'rv-chip-remove',
                        'aria-label': t('panel.remove', { name: name.shown }),
                        onClick: () => setValue(ids.filter((i) => i !== x).join(',') || undefined),
                      },
                      '×',
                    ),
                  );
                }),
              )
            : null,
          h(
            'select',
            {
              class: 'bio-properties-panel-input rv-picker-add',
              'aria-label': addLabel,
              value: '',
              onChange: (e: Event) => {
                const select = e.target as HTMLSelectElement;
                const v = select.value;
                select.value = '';
                if (v) setValue([...ids, v].join(','));
              },
            },
            h('option', { value: '' }, kind === 'group' ? t('panel.addGroup') : t('panel.addUser')),
            kind === 'group' ? groupOptions(ids) : userOptions(ids),
          ),
        ],
  );
}
