import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t, type MessageKey } from '../i18n/i18n.js';
import { linkClick, router } from '../services/router.js';
import { session } from '../services/session.js';
import { live } from '../services/socket.js';
import type { Role } from '../services/types.js';
import { shared } from '../styles/shared.js';
import './rv-notices.js';
import './rv-sign-in.js';

interface Section {
  path: string;
  label: MessageKey;
  roles: Role[];
  load: () => Promise<unknown>;
}

// heavy views (bpmn-js, chart.js) load on first visit
const SECTIONS: Section[] = [
  { path: 'inbox', label: 'nav.inbox', roles: ['staff'], load: () => import('./rv-inbox.js') },
  { path: 'modeller', label: 'nav.modeller', roles: ['manager'], load: () => import('./rv-modeller.js') },
  {
    path: 'dashboard',
    label: 'nav.dashboard',
    roles: ['leadership', 'manager', 'auditor'],
    load: () => import('./rv-dashboard.js'),
  },
];

/** The shell: sign-in, navigation by role, language switch, live status, and the routed view. */
@customElement('rv-app')
export class RvApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        inset-inline-start: 0.5rem;
        top: -3rem;
        background: var(--rv-surface);
        padding: 0.4rem 0.8rem;
        border-radius: 6px;
        z-index: 10;
      }
      .skip:focus {
        top: 0.5rem;
      }
      header {
        background: var(--rv-header);
        color: #fff;
        display: flex;
        align-items: center;
        gap: 1rem;
        padding: 0 1rem;
        min-height: 3.5rem;
        flex-wrap: wrap;
      }
      .brand {
        font-weight: 700;
        font-size: 1.25rem;
        color: #fff;
        text-decoration: none;
        display: flex;
        align-items: baseline;
        gap: 0.5rem;
      }
      .brand small {
        font-weight: 400;
        font-size: 0.8rem;
        opacity: 0.75;
      }
      nav ul {
        list-style: none;
        display: flex;
        gap: 0.25rem;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: block;
        color: #e6f0f1;
        text-decoration: none;
        padding: 0.5rem 0.8rem;
        border-radius: 6px;
      }
      nav a:hover {
        background: rgba(255, 255, 255, 0.1);
      }
      nav a[aria-current='page'] {
        background: rgba(255, 255, 255, 0.18);
        color: #fff;
        font-weight: 600;
      }
      .spacer {
        flex: 1;
      }
      .user {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        font-size: 0.9rem;
      }
      header button {
        background: transparent;
        color: #fff;
        border-color: rgba(255, 255, 255, 0.4);
      }
      header button:hover:not(:disabled) {
        background: rgba(255, 255, 255, 0.12);
      }
      .dot {
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: #7bd88f;
        display: inline-block;
      }
      .dot.off {
        background: #f0b429;
      }
      main {
        padding: 1rem;
        max-width: 1600px;
        margin: 0 auto;
      }
      main:focus {
        outline: none;
      }
      .loading {
        padding: 2rem;
        text-align: center;
      }
      @media (max-width: 900px) {
        .brand small,
        .user .name {
          display: none;
        }
      }
    `,
  ];

  @state() private _loaded = new Set<string>();

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [session, 'change'],
      [router, 'change'],
      [live, 'status'],
    ]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void session.load();
  }

  private _sections(): Section[] {
    return SECTIONS.filter((s) => session.hasRole(...s.roles));
  }

  override willUpdate(): void {
    if (!session.ready) return;
    const [first] = router.segments;
    if (!session.user) {
      if (first !== 'sign-in') router.navigate('/sign-in', true);
      return;
    }
    const sections = this._sections();
    const current = sections.find((s) => s.path === first);
    if (!current) {
      if (sections[0]) router.navigate(`/${sections[0].path}`, true);
      return;
    }
    if (!this._loaded.has(current.path)) {
      void current.load().then(() => (this._loaded = new Set([...this._loaded, current.path])));
    }
  }

  private async _toggleLanguage(): Promise<void> {
    await session.setLanguage(i18n.lang === 'fa' ? 'en' : 'fa');
  }

  override render() {
    if (!session.ready) return html`<div class="loading" role="status">${t('common.loading')}</div>`;
    const langButton = html`<button
      type="button"
      lang=${i18n.lang === 'fa' ? 'en' : 'fa'}
      aria-label="${t('nav.language')}: ${t('nav.switchTo')}"
      data-action="language"
      @click=${this._toggleLanguage}
    >
      ${t('nav.switchTo')}
    </button>`;
    if (!session.user) {
      return html`<header>
          <span class="brand">${t('app.name')}</span><span class="spacer"></span>${langButton}
        </header>
        <main id="main"><rv-sign-in></rv-sign-in></main>
        <rv-notices></rv-notices>`;
    }
    const sections = this._sections();
    const [first, ...rest] = router.segments;
    return html`<a class="skip" href="#main" @click=${this._skip}>${t('app.skip')}</a>
      <header>
        <a class="brand" href="/" @click=${linkClick}>${t('app.name')} <small>${t('app.tagline')}</small></a>
        <nav aria-label=${t('nav.main')}>
          <ul>
            ${sections.map(
              (s) =>
                html`<li>
                  <a
                    href="/${s.path}"
                    data-nav=${s.path}
                    aria-current=${first === s.path ? 'page' : nothing}
                    @click=${linkClick}
                    >${t(s.label)}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>
        <span class="spacer"></span>
        <span class="user">
          <span
            class="dot ${live.connected ? '' : 'off'}"
            role="img"
            aria-label=${live.connected ? t('common.live') : t('common.reconnecting')}
            title=${live.connected ? t('common.live') : t('common.reconnecting')}
          ></span>
          <span class="name" data-user>${session.displayName()}</span>
          ${langButton}
          <button type="button" data-action="sign-out" @click=${() => session.signOut()}>
            ${t('nav.signOut')}
          </button>
        </span>
      </header>
      <main id="main" tabindex="-1">${this._view(first, rest)}</main>
      <rv-notices></rv-notices>`;
  }

  private _view(first: string | undefined, rest: string[]) {
    if (!first || !this._loaded.has(first))
      return html`<div class="loading" role="status">${t('common.loading')}</div>`;
    switch (first) {
      case 'inbox':
        return html`<rv-inbox .taskId=${rest[0] === 'task' ? (rest[1] ?? '') : ''}></rv-inbox>`;
      case 'modeller':
        return html`<rv-modeller
          .processKey=${rest[0] ?? ''}
          .version=${rest[1] ? Number(rest[1]) : 0}
        ></rv-modeller>`;
      case 'dashboard':
        return html`<rv-dashboard
          .instanceId=${rest[0] === 'instance' ? (rest[1] ?? '') : ''}
        ></rv-dashboard>`;
      default:
        return nothing;
    }
  }

  private _skip(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-app': RvApp;
  }
}
