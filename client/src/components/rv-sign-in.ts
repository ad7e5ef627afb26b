import { LitElement, html, css } from 'lit';
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
    `,
  ];

  @state() private _busy = false;
  @state() private _error: ApiError | null = null;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  private async _submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
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

  override render() {
    return html`<form class="card" @submit=${this._submit} aria-labelledby="sign-in-title">
      <div class="brand">
        <div class="name">${t('app.name')}</div>
        <div class="muted">${t('app.tagline')}</div>
      </div>
      <h1 id="sign-in-title">${t('signIn.title')}</h1>
      ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : ''}
      <label
        >${t('signIn.username')}
        <input name="username" autocomplete="username" required dir="ltr" autofocus />
      </label>
      <label
        >${t('signIn.password')}
        <input name="password" type="password" autocomplete="current-password" required dir="ltr" />
      </label>
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
