import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { localDigits } from '../i18n/hijri.js';
import { ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import {
  browserPermission,
  notificationApi,
  notificationFeed,
  type MailMode,
  type NotificationSettings,
} from '../services/notification-feed.js';
import { session } from '../services/session.js';
import { shared } from '../styles/shared.js';

const MODES: MailMode[] = ['immediate', 'digest', 'off'];

/** The user's own page: who they are, and how Ravand tells them of their work (email, browser). */
@customElement('rv-me-page')
export class RvMePage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        max-width: 48rem;
        margin: 0 auto;
      }
      section {
        margin-block-end: 1rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.3rem 1rem;
        margin: 0;
      }
      dt {
        color: var(--rv-muted);
      }
      dd {
        margin: 0;
      }
      form {
        display: grid;
        gap: 0.9rem;
      }
      form p {
        margin: 0;
      }
      label.field {
        display: grid;
        gap: 0.3rem;
      }
      input[type='email'] {
        width: 100%;
        max-width: 28rem;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.45rem;
      }
      legend {
        padding: 0;
        margin-block-end: 0.4rem;
        font-weight: 600;
      }
      fieldset label {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .hint {
        font-size: 0.85rem;
      }
      .note {
        background: var(--rv-warn-bg);
        color: var(--rv-warn);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
      }
    `,
  ];

  @state() private _settings: NotificationSettings | undefined;
  @state() private _email = '';
  @state() private _mode: MailMode = 'immediate';
  @state() private _error = '';
  @state() private _busy = false;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [session, 'change'],
      // the permission may be granted from the bell too
      [notificationFeed, 'change'],
    ]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void notificationApi.settings().then(
      (s) => {
        this._settings = s;
        this._email = s.email;
        this._mode = s.mode;
      },
      (err: unknown) => (this._error = err instanceof ApiError ? i18n.text(err.text) : t('common.error')),
    );
  }

  private async _save(e: Event): Promise<void> {
    e.preventDefault();
    this._busy = true;
    this._error = '';
    try {
      this._settings = await notificationApi.updateSettings({ email: this._email.trim(), mode: this._mode });
      notices.show(t('me.saved'), 'success');
    } catch (err) {
      this._error = err instanceof ApiError ? i18n.text(err.text) : t('common.error');
    } finally {
      this._busy = false;
    }
  }

  private async _allowBrowser(): Promise<void> {
    await notificationFeed.allowBrowser();
  }

  private _account() {
    const u = session.user;
    if (!u) return nothing;
    const groups = u.groups
      .map((g) => (typeof g === 'string' ? g : i18n.text(g.name)))
      .join(i18n.lang === 'fa' ? '، ' : ', ');
    return html`<section class="card">
      <h2>${t('me.account')}</h2>
      <dl>
        <dt>${t('me.username')}</dt>
        <dd><bdi>${u.id}</bdi></dd>
        <dt>${t('me.roles')}</dt>
        <dd>${u.roles.map((r) => t(`me.role.${r}`)).join(i18n.lang === 'fa' ? '، ' : ', ')}</dd>
        <dt>${t('me.groups')}</dt>
        <dd>${groups || t('common.none')}</dd>
      </dl>
    </section>`;
  }

  private _mail() {
    const s = this._settings;
    if (!s) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
    const time = localDigits(s.digestTime, i18n.lang);
    return html`<form @submit=${this._save} novalidate>
      <p class="muted">${t('me.mailIntro')}</p>
      ${s.mailEnabled ? nothing : html`<p class="note" data-mail-off>${t('me.mailOff')}</p>`}
      <label class="field">
        <span>${t('me.email')}</span>
        <input
          type="email"
          dir="ltr"
          autocomplete="email"
          name="email"
          .value=${this._email}
          aria-invalid=${this._error ? 'true' : 'false'}
          aria-describedby="email-hint"
          @input=${(e: Event) => (this._email = (e.target as HTMLInputElement).value)}
        />
        <span id="email-hint" class="hint muted">${t('me.emailHint')}</span>
      </label>
      <fieldset>
        <legend>${t('me.mode')}</legend>
        ${MODES.map(
          (m) =>
            html`<label>
              <input
                type="radio"
                name="mode"
                value=${m}
                .checked=${this._mode === m}
                @change=${() => (this._mode = m)}
              />
              ${m === 'digest' ? t('me.mode.digest', { time }) : t(`me.mode.${m}`)}
            </label>`,
        )}
      </fieldset>
      ${this._error ? html`<p class="alert" role="alert">${this._error}</p>` : nothing}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this._busy} data-action="save-notifications">
          ${t('me.save')}
        </button>
      </div>
    </form>`;
  }

  private _browser() {
    const permission = browserPermission();
    return html`<p class="muted">${t('me.browserIntro')}</p>
      ${
        permission === 'unsupported'
          ? html`<p>${t('me.browserUnsupported')}</p>`
          : permission === 'granted'
            ? html`<p>${t('bell.browserOn')}</p>`
            : permission === 'denied'
              ? html`<p>${t('bell.browserBlocked')}</p>`
              : html`<button type="button" data-action="allow-browser" @click=${this._allowBrowser}>
                  ${t('bell.allowBrowser')}
                </button>`
      }`;
  }

  override render() {
    return html`<h1>${t('me.title')}</h1>
      ${this._account()}
      <section class="card" aria-labelledby="mail-title">
        <h2 id="mail-title">${t('me.mail')}</h2>
        ${this._mail()}
      </section>
      <section class="card">
        <h2>${t('me.browser')}</h2>
        ${this._browser()}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-me-page': RvMePage;
  }
}
