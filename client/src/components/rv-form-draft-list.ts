import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FormDraftSummary } from '../forms/form-drafts.js';
import { i18n, t } from '../i18n/i18n.js';
import { directory } from '../services/directory.js';
import { shared } from '../styles/shared.js';
import './rv-date.js';

/**
 * The form designer's drafts not yet deployed (kept on the server): title and key, who saved each last and when,
 * and an Open button.
 * @fires rv-open-draft `{ key }` when a draft is to be opened
 */
@customElement('rv-form-draft-list')
export class RvFormDraftList extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.4rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.3rem 0.6rem;
        padding: 0.4rem 0.6rem;
        border: 1px solid var(--rv-border);
        border-radius: 6px;
      }
      li.current {
        border-color: var(--rv-primary);
      }
      .title {
        font-weight: 600;
      }
      .key,
      .by {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
      .badge {
        font-size: 0.75rem;
        padding: 0 0.4rem;
        border-radius: 999px;
        background: #fef3c7;
        color: #92400e;
      }
      button {
        margin-inline-start: auto;
      }
    `,
  ];

  @property({ attribute: false }) drafts: FormDraftSummary[] = [];
  /** The key of the form open in the designer (marked in the list). */
  @property() current = '';

  override render() {
    if (!this.drafts.length) return html`<p class="help" data-no-drafts>${t('designer.noDrafts')}</p>`;
    return html`<ul data-drafts>
      ${this.drafts.map(
        (d) =>
          html`<li data-draft=${d.key} class=${d.key === this.current ? 'current' : ''}>
            <span class="badge">${t('designer.draftBadge')}</span>
            <bdi class="title">${i18n.text(d.title) || d.key}</bdi>
            <bdi class="key" dir="ltr">${d.key}</bdi>
            <span class="by">${t('designer.draftBy', { user: directory.userName(d.updatedBy) })}</span>
            <!-- no "·" between: beside Dari digits it reads as a zero -->
            <rv-date class="by" .value=${d.updatedAt}></rv-date>
            ${
              d.key === this.current
                ? nothing
                : html`<button
                    type="button"
                    data-open-draft=${d.key}
                    @click=${() =>
                      this.dispatchEvent(
                        new CustomEvent('rv-open-draft', {
                          detail: { key: d.key },
                          bubbles: true,
                          composed: true,
                        }),
                      )}
                  >
                    ${t('designer.openDraft')}
                  </button>`
            }
          </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-form-draft-list': RvFormDraftList;
  }
}
