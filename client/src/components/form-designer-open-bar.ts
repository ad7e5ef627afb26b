import { html } from 'lit';
import type { FormDraftSummary } from '../forms/form-drafts.js';
import { i18n, t, type I18nText } from '../i18n/i18n.js';
import './rv-form-draft-list.js';

/** A form the designer can open: deployed with a process or in the forms folder (`GET /api/forms`). */
export interface FormListItem {
  key: string;
  title: I18nText;
  source: 'deployment' | 'repository';
  definitionId?: string;
}

/**
 * The form designer's "open" card: a select of a new form, the drafts and the deployed and folder forms, and the
 * list of drafts not yet deployed (who saved each, when) with an Open button each.
 */
export function openBar(o: {
  drafts: FormDraftSummary[];
  forms: FormListItem[];
  /** The key of the form open now. */
  current: string;
  onOpen(value: string): void;
  onOpenDraft(key: string): void;
}) {
  return html`<div class="card open">
    <label
      >${t('designer.open')}
      <select data-open @change=${(e: Event) => o.onOpen((e.target as HTMLSelectElement).value)}>
        <option value="">—</option>
        <option value="new">${t('designer.new')}</option>
        <optgroup label=${t('designer.drafts')}>
          ${o.drafts.map(
            (f) => html`<option value="draft:${f.key}">${i18n.text(f.title) || f.key} (${f.key})</option>`,
          )}
        </optgroup>
        <optgroup label=${t('designer.deployed')}>
          ${o.forms.map(
            (f) =>
              html`<option value="${f.source}:${f.key}">
                ${i18n.text(f.title)} (${f.definitionId ?? f.key})
              </option>`,
          )}
        </optgroup>
      </select>
    </label>
    <section class="drafts" aria-labelledby="drafts-title">
      <h2 id="drafts-title">${t('designer.draftList')}</h2>
      <p class="help">${t('designer.draftListHelp')}</p>
      <rv-form-draft-list
        .drafts=${o.drafts}
        .current=${o.current}
        @rv-open-draft=${(e: CustomEvent<{ key: string }>) => o.onOpenDraft(e.detail.key)}
      ></rv-form-draft-list>
    </section>
  </div>`;
}
