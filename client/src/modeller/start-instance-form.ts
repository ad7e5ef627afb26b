import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.js';
import { linkClick } from '../services/router.js';
import { session } from '../services/session.js';

/** What the start form shows and calls. */
export interface StartFormState {
  busy: boolean;
  started: { id: string } | null;
  onSubmit(e: Event): void;
}

/** The modeller's "start an instance of this version" form, with a link to the instance once started. */
export function startInstanceForm(s: StartFormState) {
  return html`<form class="rv-start card" @submit=${s.onSubmit}>
    <label>${t('modeller.businessKey')} <input name="businessKey" maxlength="200" dir="auto" /></label>
    <button type="submit" class="primary" data-action="start" ?disabled=${s.busy}>
      ${t('modeller.start')}
    </button>
    ${
      s.started
        ? html`<span data-started=${s.started.id}
            >${t('notice.started', { id: s.started.id })}
            ${
              session.hasRole('manager', 'leadership')
                ? html`<a href="/dashboard/instance/${encodeURIComponent(s.started.id)}" @click=${linkClick}
                    >${t('instance.open')}</a
                  >`
                : nothing
            }</span
          >`
        : nothing
    }
  </form>`;
}
