import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { formatDate } from '../i18n/dates.js';
import { i18n, t } from '../i18n/i18n.js';
import { notificationSentence } from '../i18n/notification-text.js';
import { browserPermission, notificationFeed, type NotificationItem } from '../services/notification-feed.js';
import { linkClick } from '../services/router.js';
import { shared } from '../styles/shared.js';

/**
 * The bell in the header: the unread count, and on click the newest notifications (newest first). Opening one
 * goes to its task or instance and marks it read. Offers browser notifications (asked on that click only).
 */
@customElement('rv-bell')
export class RvBell extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      .bell {
        position: relative;
        background: transparent;
        color: #fff;
        border-color: rgba(255, 255, 255, 0.4);
        padding: 0.3rem 0.55rem;
        display: inline-flex;
        align-items: center;
      }
      .bell:hover:not(:disabled) {
        background: rgba(255, 255, 255, 0.12);
      }
      .bell svg {
        width: 1.25rem;
        height: 1.25rem;
      }
      .count {
        position: absolute;
        inset-block-start: -0.45rem;
        inset-inline-end: -0.45rem;
        min-width: 1.25rem;
        height: 1.25rem;
        padding: 0 0.3rem;
        border-radius: 999px;
        background: #d4351c;
        color: #fff;
        font-size: 0.75rem;
        line-height: 1.25rem;
        text-align: center;
        font-weight: 700;
      }
      .panel {
        position: absolute;
        inset-inline-end: 0;
        inset-block-start: calc(100% + 0.5rem);
        width: min(26rem, calc(100vw - 1rem));
        max-height: min(32rem, calc(100vh - 5rem));
        overflow: auto;
        background: var(--rv-surface);
        color: var(--rv-text);
        border: 1px solid var(--rv-border);
        border-radius: 10px;
        box-shadow: 0 8px 28px rgba(0, 0, 0, 0.22);
        z-index: 50;
      }
      @media (max-width: 700px) {
        .panel {
          position: fixed;
          inset-inline: 0.5rem;
          inset-block-start: 3.2rem;
          width: auto;
        }
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
        padding: 0.6rem 0.8rem;
        border-bottom: 1px solid var(--rv-border);
        position: sticky;
        top: 0;
        background: var(--rv-surface);
      }
      .head h2 {
        margin: 0;
        font-size: 1rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li + li {
        border-top: 1px solid var(--rv-border);
      }
      a.item {
        display: grid;
        grid-template-columns: 0.6rem 1fr;
        gap: 0.2rem 0.6rem;
        padding: 0.6rem 0.8rem;
        color: inherit;
        text-decoration: none;
      }
      a.item:hover {
        background: var(--rv-hover);
      }
      .dot {
        width: 0.55rem;
        height: 0.55rem;
        border-radius: 50%;
        margin-top: 0.45rem;
        background: transparent;
      }
      .unread .dot {
        background: var(--rv-primary);
      }
      .unread .text {
        font-weight: 600;
      }
      .meta {
        grid-column: 2;
        font-size: 0.82rem;
        color: var(--rv-muted);
        display: flex;
        gap: 0.6rem;
        flex-wrap: wrap;
      }
      .overdue .meta .kind {
        color: var(--rv-danger);
      }
      .empty {
        padding: 1rem 0.8rem;
        margin: 0;
      }
      .foot {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.6rem 0.8rem;
        border-top: 1px solid var(--rv-border);
        font-size: 0.88rem;
      }
      .foot a {
        color: var(--rv-primary);
      }
    `,
  ];

  @state() private _open = false;

  constructor() {
    super();
    new WatchController(this, [
      [notificationFeed, 'change'],
      [i18n, 'change'],
    ]);
  }

  private readonly _outside = (e: Event) => {
    if (this._open && !e.composedPath().includes(this)) this._open = false;
  };
  private readonly _escape = (e: KeyboardEvent) => {
    if (this._open && e.key === 'Escape') {
      this._open = false;
      this.renderRoot.querySelector<HTMLButtonElement>('.bell')?.focus();
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this._outside);
    document.addEventListener('keydown', this._escape);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('click', this._outside);
    document.removeEventListener('keydown', this._escape);
    super.disconnectedCallback();
  }

  private _toggle(): void {
    this._open = !this._open;
    if (this._open) void notificationFeed.reload();
  }

  private async _allowBrowser(): Promise<void> {
    // asked only here, on the user's click (browsers ignore or block requests made without a gesture)
    await notificationFeed.allowBrowser();
  }

  private _openItem(e: MouseEvent, item: NotificationItem): void {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this._open = false;
    notificationFeed.open(item);
  }

  private _item(item: NotificationItem) {
    const at = formatDate(item.at);
    return html`<li>
      <a
        class="item ${item.read ? '' : 'unread'} ${item.kind === 'task-overdue' ? 'overdue' : ''}"
        href=${item.path}
        data-notification=${item.kind}
        @click=${(e: MouseEvent) => this._openItem(e, item)}
      >
        <span class="dot" aria-hidden="true"></span>
        <span class="text">${notificationSentence(item)}</span>
        <span class="meta">
          ${item.reference ? html`<bdi class="ref">${item.reference}</bdi>` : nothing}
          <time datetime=${at.iso}>${at.hijri}</time>
        </span>
      </a>
    </li>`;
  }

  override render() {
    const { items, unread } = notificationFeed;
    const permission = browserPermission();
    const label = unread ? `${t('bell.label')}: ${t('bell.unread', { count: unread })}` : t('bell.label');
    return html`<button
        type="button"
        class="bell"
        aria-label=${label}
        title=${label}
        aria-expanded=${this._open ? 'true' : 'false'}
        aria-haspopup="true"
        data-action="bell"
        @click=${this._toggle}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        ${unread ? html`<span class="count" data-unread>${i18n.number(unread)}</span>` : nothing}
      </button>
      ${
        this._open
          ? html`<div class="panel" role="region" aria-label=${t('bell.label')} data-bell-panel>
              <div class="head">
                <h2>${t('bell.label')}</h2>
                ${
                  unread
                    ? html`<button
                        type="button"
                        class="link"
                        data-action="mark-all"
                        @click=${() => void notificationFeed.markRead()}
                      >
                        ${t('bell.markAll')}
                      </button>`
                    : nothing
                }
              </div>
              ${
                items.length
                  ? html`<ul>
                      ${items.map((i) => this._item(i))}
                    </ul>`
                  : html`<p class="empty muted">${t('bell.empty')}</p>`
              }
              <div class="foot">
                <a href="/me" @click=${(e: MouseEvent) => ((this._open = false), linkClick(e))}
                  >${t('bell.settings')}</a
                >
                ${
                  permission === 'default'
                    ? html`<button type="button" data-action="allow-browser" @click=${this._allowBrowser}>
                        ${t('bell.allowBrowser')}
                      </button>`
                    : permission === 'granted'
                      ? html`<span class="muted">${t('bell.browserOn')}</span>`
                      : permission === 'denied'
                        ? html`<span class="muted">${t('bell.browserBlocked')}</span>`
                        : nothing
                }
              </div>
            </div>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-bell': RvBell;
  }
}
