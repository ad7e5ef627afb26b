import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t, type MessageKey } from '../i18n/i18n.js';
import { linkClick, router } from '../services/router.js';
import { session } from '../services/session.js';
import { live } from '../services/socket.js';
import { capabilitiesOf, type Capabilities } from '../services/capabilities.js';
import { api } from '../services/api.js';
import { notificationFeed } from '../services/notification-feed.js';
import './rv-bell.js';
import './rv-notices.js';
import './rv-sign-in.js';

interface Section {
  path: string;
  label: MessageKey;
  /** Whether the user may open this section: from what they can do, not the role's name. */
  can: (c: Capabilities) => boolean;
  /** Whether it has a link in the navigation (default: when it can be opened). */
  nav?: (c: Capabilities) => boolean;
  load: () => Promise<unknown>;
}

// heavy views (bpmn-js, chart.js) load on first visit
const SECTIONS: Section[] = [
  { path: 'inbox', label: 'nav.inbox', can: (c) => c.inbox, load: () => import('./rv-inbox.js') },
  { path: 'start', label: 'nav.start', can: (c) => c.start, load: () => import('./rv-start.js') },
  {
    path: 'instances',
    label: 'nav.instances',
    // a starter or task holder opens the instances they take part in (the server checks each one)
    can: (c) => c.instances || c.start || c.inbox,
    nav: (c) => c.instances,
    load: () => import('./rv-instance-search.js'),
  },
  {
    path: 'dashboard',
    label: 'nav.dashboard',
    can: (c) => c.dashboard,
    load: () => import('./rv-dashboard.js'),
  },
  { path: 'modeller', label: 'nav.modeller', can: (c) => c.modeller, load: () => import('./rv-modeller.js') },
  { path: 'forms', label: 'nav.forms', can: (c) => c.modeller, load: () => import('./rv-form-designer.js') },
  { path: 'audit', label: 'nav.audit', can: (c) => c.audit, load: () => import('./rv-audit-desk.js') },
  {
    path: 'admin',
    label: 'nav.admin',
    can: () => !!session.user?.roles.includes('admin'),
    load: () => import('./rv-admin-page.js'),
  },
  // everyone's own page (mail settings): reached from the name in the header and the bell
  { path: 'me', label: 'nav.me', can: () => true, nav: () => false, load: () => import('./rv-me-page.js') },
];

/** Where a user lands: the inbox when work waits there, else the first of start, dashboard, desk, search. */
async function landingPath(caps: Capabilities): Promise<string | undefined> {
  if (caps.inbox) {
    // offered to them: assigned, or unclaimed in their groups ('visible' is everything for readers)
    const [mine, group] = await Promise.all(
      (['mine', 'group'] as const).map((view) => api.tasks({ view, limit: 1 }).catch(() => null)),
    );
    if ((mine?.total ?? 0) + (group?.total ?? 0) > 0) return 'inbox';
  }
  // the section paths are named after their capabilities
  const order = ['start', 'dashboard', 'audit', 'instances', 'inbox', 'modeller'] as const;
  return order.find((c) => caps[c]);
}

/** The shell: sign-in, navigation by role, language switch, live status, and the routed view. */
@customElement('rv-app')
export class RvApp extends LitElement {
  // light DOM: the views below hold bpmn-js, which does not work inside a shadow root (styles in app.css)
  protected override createRenderRoot() {
    return this;
  }

  @state() private _loaded = new Set<string>();
  /** The user whose landing page is being worked out (once per sign-in). */
  private _landingFor: string | null = null;

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
    // the view the address names is fetched while the session loads: one round trip less on a slow link
    SECTIONS.find((s) => s.path === router.segments[0])
      ?.load()
      .catch(() => undefined);
  }

  private _sections(): Section[] {
    const caps = capabilitiesOf(session.user);
    return SECTIONS.filter((s) => s.can(caps));
  }

  private _navSections(): Section[] {
    const caps = capabilitiesOf(session.user);
    return this._sections().filter((s) => (s.nav ?? s.can)(caps));
  }

  override willUpdate(): void {
    if (!session.ready) return;
    void notificationFeed.start(session.user?.id);
    const [first] = router.segments;
    if (!session.user) {
      if (first !== 'sign-in') router.navigate('/sign-in', true);
      return;
    }
    const sections = this._sections();
    const current = sections.find((s) => s.path === first);
    if (!current) {
      // the user's own page alone is no work to land on
      if (!sections.some((s) => s.path !== 'me')) return;
      const user = session.user.id;
      if (this._landingFor === user) return;
      this._landingFor = user;
      void landingPath(capabilitiesOf(session.user)).then((path) => {
        if (session.user?.id !== user) return;
        this._landingFor = null;
        if (path) router.navigate(`/${path}`, true);
        else this.requestUpdate();
      });
      return;
    }
    this._landingFor = null;
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
    const sections = this._navSections();
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
          <rv-bell></rv-bell>
          <a class="name" href="/me" data-user title=${t('nav.me')} @click=${linkClick}
            >${session.displayName()}</a
          >
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
    if (first !== 'me' && !this._sections().some((s) => s.path !== 'me'))
      return html`<p class="rv-nothing" role="status" data-nothing>${t('nav.nothing')}</p>`;
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
      case 'forms':
        return html`<rv-form-designer></rv-form-designer>`;
      case 'start':
        return html`<rv-start .processKey=${rest[0] ?? ''}></rv-start>`;
      case 'instances':
        return rest[0]
          ? html`<rv-instance-page .instanceId=${rest[0]}></rv-instance-page>`
          : html`<rv-instance-search></rv-instance-search>`;
      case 'audit':
        return html`<rv-audit-desk></rv-audit-desk>`;
      case 'admin':
        return html`<rv-admin-page></rv-admin-page>`;
      case 'me':
        return html`<rv-me-page></rv-me-page>`;
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
    this.querySelector<HTMLElement>('main')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-app': RvApp;
  }
}
