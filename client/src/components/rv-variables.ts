import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/** Process variables as a compact definition list. */
@customElement('rv-variables')
export class RvVariables extends LitElement {
  static override styles = [
    shared,
    css`
      dl {
        display: grid;
        grid-template-columns: minmax(6rem, max-content) 1fr;
        gap: 0.3rem 1rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
    `,
  ];

  @property({ attribute: false }) variables: Record<string, unknown> = {};

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  override render() {
    const entries = Object.entries(this.variables ?? {});
    if (!entries.length) return html`<p class="muted">${t('common.none')}</p>`;
    return html`<dl>
      ${entries.map(
        ([k, v]) =>
          html`<dt><bdi>${k}</bdi></dt>
            <dd dir="auto">${format(v)}</dd>`,
      )}
    </dl>`;
  }
}

function format(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'object') return JSON.stringify(v, null, 1);
  return String(v);
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-variables': RvVariables;
  }
}
