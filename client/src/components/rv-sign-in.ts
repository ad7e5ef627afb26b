import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { ApiError } from '../services/api.js';
import { session } from '../services/session.js';
import { shared } from '../styles/shared.js';

/** The sign-in page. */
@customElement('rv-sign-in')
export class RvSignIn extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: calc(100vh - 4rem);
        padding: 1rem;
      }
      .card {
        width: min(24rem, 100%);
        padding: 2rem;
        display: grid;
        gap: 1rem;
        box-shadow: 0 8px 30px rgba(18, 52, 59, 0.08);
      }
      .brand {
        text-align: center;
      }
      .brand .name {
        font-size: 2rem;
        font-weight: 700;
        color: var(--rv-primary);
      }
      label {
        display: grid;
        gap: 0.3rem;
        font-weight: 600;
      }
      input {
        width: 100%;
      }
      button {
        width: 100%;
      }
      .field-error {
        color: var(--rv-danger);
        font-size: 0.9rem;
        margin-top: -0.6rem;
      }
    `,
  ];

  @state() private _busy = false;
  @state() private _error: ApiError | null = null;
  /** Own checks instead of the browser's bubbles (which speak the browser's language, not the user's). */
  @state() private _missing = new Set<'username' | 'password'>();

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  private async _submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const missing = new Set<'username' | 'password'>();
    if (!String(data.get('username') ?? '').trim()) missing.add('username');
    if (!String(data.get('password') ?? '')) missing.add('password');
    this._missing = missing;
    if (missing.size) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this._busy = true;
    this._error = null;
    try {
      await session.signIn(String(data.get('username') ?? '').trim(), String(data.get('password') ?? ''));
    } catch (err) {
      this._error =
        err instanceof ApiError
          ? err
          : new ApiError(0, 'RV_ERR_INTERNAL', { fa: t('common.error'), en: t('common.error') });
    } finally {
      this._busy = false;
    }
  }

  private _clear(name: 'username' | 'password'): void {
    if (!this._missing.has(name)) return;
    const next = new Set(this._missing);
    next.delete(name);
    this._missing = next;
  }

  override render() {
    return html`<form class="card" novalidate @submit=${this._submit} aria-labelledby="sign-in-title">
      <div class="brand">
        <div class="name">${t('app.name')}</div>
        <div class="muted">${t('app.tagline')}</div>
      </div>
      <h1 id="sign-in-title">${t('signIn.title')}</h1>
      ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : ''}
      <label
        >${t('signIn.username')}
        <input
          name="username"
          autocomplete="username"
          dir="ltr"
          autofocus
          aria-required="true"
          aria-invalid=${this._missing.has('username') ? 'true' : 'false'}
          aria-describedby=${this._missing.has('username') ? 'username-error' : nothing}
          @input=${() => this._clear('username')}
        />
      </label>
      ${this._missing.has('username') ? html`<div class="field-error" id="username-error" data-error="username">${t('signIn.usernameRequired')}</div>` : nothing}
      <label
        >${t('signIn.password')}
        <input
          name="password"
          type="password"
          autocomplete="current-password"
          dir="ltr"
          aria-required="true"
          aria-invalid=${this._missing.has('password') ? 'true' : 'false'}
          aria-describedby=${this._missing.has('password') ? 'password-error' : nothing}
          @input=${() => this._clear('password')}
        />
      </label>
      ${this._missing.has('password') ? html`<div class="field-error" id="password-error" data-error="password">${t('signIn.passwordRequired')}</div>` : nothing}
      <button class="primary" type="submit" ?disabled=${this._busy}>
        ${this._busy ? t('signIn.busy') : t('signIn.submit')}
      </button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-sign-in': RvSignIn;
  }
}
