import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { localDigits } from '../i18n/hijri.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { shared } from '../styles/shared.js';
import './rv-date.js';

interface BackupInfo {
  at: string;
  bytes: number;
  file: string;
}

interface BackupList {
  items: BackupInfo[];
  schedule: { time: string; timeZone: string; keep: number };
}

/** A size in KB/MB/GB in the current language's digits. */
export function formatBytes(bytes: number): string {
  const units = i18n.lang === 'fa' ? ['بایت', 'کیلوبایت', 'مگابایت', 'گیگابایت'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${i18n.number(value, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

/** The file name without its folder (the full path stays in the title). */
const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/** The administrator's page: backups (the last one, the schedule, those kept) and "back up now". */
@customElement('rv-admin-page')
export class RvAdminPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        max-width: 60rem;
        margin: 0 auto;
      }
      section {
        margin-block-end: 1rem;
      }
      .summary {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
        gap: 0.8rem;
        margin-block-end: 1rem;
      }
      .figure {
        border: 1px solid var(--rv-border);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
      }
      .figure .label {
        color: var(--rv-muted);
        font-size: 0.85rem;
      }
      .figure .value {
        font-size: 1.05rem;
        font-weight: 600;
        margin-top: 0.2rem;
        overflow-wrap: anywhere;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.92rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.4rem 0.5rem;
        border-bottom: 1px solid var(--rv-border);
      }
      th {
        color: var(--rv-muted);
        font-weight: 600;
      }
      td.file {
        font-family: ui-monospace, monospace;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      @media (max-width: 700px) {
        th.file,
        td.file {
          display: none;
        }
      }
    `,
  ];

  @state() private _list: BackupList | undefined;
  @state() private _error = '';
  @state() private _busy = false;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._list = await api.request<BackupList>('GET', '/api/admin/backups');
      this._error = '';
    } catch (err) {
      this._error =
        err instanceof ApiError && err.code === 'RV_ERR_BACKUP_UNAVAILABLE'
          ? t('admin.unavailable')
          : err instanceof ApiError
            ? i18n.text(err.text)
            : t('common.error');
    }
  }

  private async _backupNow(): Promise<void> {
    this._busy = true;
    try {
      const made = await api.request<BackupInfo>('POST', '/api/admin/backups', { body: {} });
      notices.show(t('admin.backupDone', { size: formatBytes(made.bytes) }), 'success');
      await this._load();
    } catch (err) {
      notices.show(err instanceof ApiError ? i18n.text(err.text) : t('common.error'), 'error');
    } finally {
      this._busy = false;
    }
  }

  private _backups() {
    if (this._error) return html`<p class="alert" role="alert">${this._error}</p>`;
    const list = this._list;
    if (!list) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
    const last = list.items[0];
    const schedule = list.schedule.time
      ? t('admin.scheduleDaily', {
          time: localDigits(list.schedule.time, i18n.lang),
          keep: list.schedule.keep,
        })
      : t('admin.scheduleOff');
    return html`<div class="summary">
        <div class="figure" data-last-backup>
          <div class="label">${t('admin.lastBackup')}</div>
          <div class="value">${last ? html`<rv-date .value=${last.at}></rv-date>` : t('admin.noBackup')}</div>
        </div>
        <div class="figure">
          <div class="label">${t('admin.size')}</div>
          <div class="value" data-last-size>${last ? formatBytes(last.bytes) : '—'}</div>
        </div>
        <div class="figure">
          <div class="label">${t('admin.schedule')}</div>
          <div class="value" data-schedule>${schedule}</div>
        </div>
      </div>
      <div class="row">
        <button
          type="button"
          class="primary"
          data-action="backup-now"
          ?disabled=${this._busy}
          @click=${this._backupNow}
        >
          ${this._busy ? t('admin.backingUp') : t('admin.backupNow')}
        </button>
      </div>
      ${
        list.items.length
          ? html`<h3 style="margin-top:1rem">${t('admin.history')}</h3>
              <table>
                <thead>
                  <tr>
                    <th>${t('admin.takenAt')}</th>
                    <th>${t('admin.size')}</th>
                    <th class="file">${t('admin.file')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.items.map(
                    (b) =>
                      html`<tr>
                        <td><rv-date .value=${b.at}></rv-date></td>
                        <td>${formatBytes(b.bytes)}</td>
                        <td class="file" title=${b.file}><bdi dir="ltr">${baseName(b.file)}</bdi></td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : nothing
      }`;
  }

  override render() {
    return html`<h1>${t('admin.title')}</h1>
      <section class="card" aria-labelledby="backups-title">
        <h2 id="backups-title">${t('admin.backups')}</h2>
        ${this._backups()}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-admin-page': RvAdminPage;
  }
}
