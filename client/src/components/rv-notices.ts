import { LitElement, html, css } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { notices, type Notice } from '../services/notices.js';

/** The quiet live region: short notices that fade after a few seconds, announced politely. */
@customElement('rv-notices')
export class RvNotices extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset-block-end: 1rem;
      inset-inline-start: 1rem;
      z-index: 1000;
      display: grid;
      gap: 0.4rem;
      pointer-events: none;
      max-width: min(26rem, calc(100vw - 2rem));
    }
    @media (max-width: 700px) {
      :host {
        inset-inline: 0.5rem;
        inset-block-end: 0.5rem;
        max-width: none;
      }
    }
    .notice {
      font-family: var(--rv-font);
      background: #1d2630;
      color: #fff;
      padding: 0.5rem 0.9rem;
      border-radius: 8px;
      box-shadow: 0 4px 14px rgba(0, 0, 0, 0.2);
      font-size: 0.92rem;
    }
    .notice.success {
      background: var(--rv-ok);
    }
    .notice.error {
      background: var(--rv-danger);
    }
  `;

  @state() private _items: Notice[] = [];

  private readonly _onNotice = (e: Event) => {
    const notice = (e as CustomEvent<Notice>).detail;
    this._items = [...this._items.slice(-3), notice];
    setTimeout(
      () => (this._items = this._items.filter((n) => n.id !== notice.id)),
      notice.kind === 'error' ? 8000 : 5000,
    );
  };

  // the page keeps room below its content for the notices (`--rv-notices-space`), so the action a notice
  // reports on can always be scrolled clear of it instead of hiding underneath
  private readonly _resize = new ResizeObserver(() => {
    const height = this._items.length ? this.getBoundingClientRect().height : 0;
    document.documentElement.style.setProperty('--rv-notices-space', `${Math.ceil(height)}px`);
  });

  override connectedCallback(): void {
    super.connectedCallback();
    notices.addEventListener('notice', this._onNotice);
    this._resize.observe(this);
  }

  override disconnectedCallback(): void {
    notices.removeEventListener('notice', this._onNotice);
    this._resize.disconnect();
    super.disconnectedCallback();
  }

  override render() {
    return html`<div role="status" aria-live="polite" aria-atomic="false">
      ${this._items.map((n) => html`<div class="notice ${n.kind}" data-notice dir="auto">${n.text}</div>`)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-notices': RvNotices;
  }
}
