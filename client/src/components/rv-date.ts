import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { formatDate } from '../i18n/dates.js';
import { i18n } from '../i18n/i18n.js';

/** A date in Solar Hijri with the Gregorian date beside it (Kabul time). */
@customElement('rv-date')
export class RvDate extends LitElement {
  static override styles = css`
    :host {
      white-space: nowrap;
    }
    .g {
      color: var(--rv-muted);
      font-size: 0.85em;
      margin-inline-start: 0.3em;
    }
  `;

  @property() value = '';
  @property({ type: Boolean, attribute: 'date-only' }) dateOnly = false;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  override render() {
    if (!this.value) return html``;
    const f = formatDate(this.value, !this.dateOnly);
    return html`<time datetime=${f.iso}>${f.hijri}<span class="g">(${f.gregorian})</span></time>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-date': RvDate;
  }
}
