import { html } from 'lit';
import { t } from '../i18n/i18n.js';

/** What the start button shows and calls. */
export interface StartFormState {
  busy: boolean;
  onSubmit(e: Event): void;
}

/**
 * The modeller's "start an instance" button. It hands over to the process's start page, which has the start form
 * and makes the reference: a reference typed here would be one the start page does not use.
 */
export function startInstanceForm(s: StartFormState) {
  return html`<form class="rv-start card" @submit=${s.onSubmit}>
    <button type="submit" class="primary" data-action="start" ?disabled=${s.busy}>
      ${t('modeller.start')}
    </button>
  </form>`;
}
