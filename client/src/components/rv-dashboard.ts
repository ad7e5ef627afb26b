import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DashboardController, type ProcessCounters } from '../controllers/dashboard-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { formatTime } from '../i18n/dates.js';
import { i18n, t } from '../i18n/i18n.js';
import { api } from '../services/api.js';
import { linkClick } from '../services/router.js';
import type { InstanceSummary } from '../services/types.js';
import './rv-chart.js';
import './rv-date.js';
import './rv-diagram.js';
import './rv-instance-view.js';

/**
 * Leadership dashboards: live counters per process, overdue tasks per directorate and per province,
 * access-to-information deadlines, cycle times, a heatmap of waiting tokens on a process diagram, and the
 * drill-down into one instance. Updated by Socket.IO (`metrics:updated`), never by reloading.
 */
@customElement('rv-dashboard')
export class RvDashboard extends LitElement {
  /** The instance to drill into (route `/dashboard/instance/:id`). */
  @property() instanceId = '';

  @state() private _heatKey = '';
  @state() private _heatXml = '';
  @state() private _instances: InstanceSummary[] = [];

  private readonly data = new DashboardController(this);
  private _heatLoaded = '';
  /** True once the user picked a process for the heatmap; until then it follows the busiest one. */
  private _heatChosen = false;
  private _listedAt: Date | null = null;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  protected override createRenderRoot() {
    return this;
  }

  /** The process shown in the heatmap: the chosen one, else the one with the most waiting tokens. */
  private _defaultHeatKey(): string {
    const counters = this.data.counters;
    const busiest = [...counters].sort((a, b) => b.waiting - a.waiting || b.running - a.running)[0];
    return busiest?.key ?? '';
  }

  protected override updated(): void {
    const key = this._heatChosen ? this._heatKey : this._defaultHeatKey();
    if (key && key !== this._heatLoaded) {
      this._heatLoaded = key;
      void this._loadHeat(key);
    }
    // the instance list beside the heatmap follows the pushed figures
    const at = this.data.updatedAt;
    if (key && at && at !== this._listedAt && key === this._heatLoaded) {
      this._listedAt = at;
      void api.instances({ key, limit: 20 }).then(
        (page) => {
          if (key === this._heatLoaded) this._instances = page.items;
        },
        () => undefined,
      );
    }
  }

  private _chooseHeat(key: string): void {
    this._heatChosen = true;
    this._heatLoaded = key;
    void this._loadHeat(key);
  }

  private async _loadHeat(key: string): Promise<void> {
    this._heatKey = key;
    const versions = await api.versions(key).catch(() => []);
    const latest = [...versions].sort((a, b) => b.version - a.version)[0];
    const [xml, page] = await Promise.all([
      latest ? api.definitionXml(key, latest.version).catch(() => '') : Promise.resolve(''),
      api.instances({ key, limit: 20 }).catch(() => null),
    ]);
    // a later choice wins over a slower earlier load
    if (key !== this._heatLoaded) return;
    this._heatXml = xml;
    this._instances = page?.items ?? [];
  }

  private _processName(c: ProcessCounters): string {
    return c.definition ? i18n.text(c.definition.name) : c.key;
  }

  override render() {
    if (this.instanceId) {
      return html`<nav class="rv-crumbs">
          <a href="/dashboard" @click=${linkClick}
            >${i18n.dir === 'rtl' ? '→' : '←'} ${t('dashboard.title')}</a
          >
        </nav>
        <rv-instance-view .instanceId=${this.instanceId}></rv-instance-view>`;
    }
    const d = this.data;
    const counters = d.counters;
    const sum = (f: (c: ProcessCounters) => number) => counters.reduce((s, c) => s + f(c), 0);
    const rtl = i18n.lang === 'fa';
    const groupName = (id: string) => i18n.text(d.groups.get(id)?.name) || id;
    const directorates = (d.metrics?.tasksByGroup ?? []).filter((g) => {
      const kind = d.groups.get(g.group)?.kind;
      return kind ? kind !== 'province' : !g.group.startsWith('province-');
    });
    const provinceName = (code: string) =>
      i18n.text(
        [...d.groups.values()].find((g) => g.province === code || g.id === `province-${code}`)?.name,
      ) || code;
    const provinces = (d.metrics?.tasksByProvince ?? []).filter((p) => p.open > 0);
    const heatKey = this._heatChosen ? this._heatKey : this._heatLoaded || this._defaultHeatKey();
    return html`<div class="rv-dashboard">
      <div class="rv-dash-head">
        <h1>${t('dashboard.title')}</h1>
        ${
          d.updatedAt
            ? html`<span class="muted small" data-updated
                >${t('dashboard.updated', { time: formatTime(d.updatedAt) })}</span
              >`
            : nothing
        }
      </div>
      ${d.error ? html`<div class="alert" role="alert">${i18n.text(d.error.text)}</div>` : nothing}
      <div class="rv-counters" role="group" aria-label=${t('dashboard.perProcess')}>
        ${this._counter(
          'running',
          t('dashboard.running'),
          sum((c) => c.running),
        )}
        ${this._counter(
          'waiting',
          t('dashboard.waiting'),
          sum((c) => c.waiting),
        )}
        ${this._counter(
          'completed-today',
          t('dashboard.completedToday'),
          sum((c) => c.completedToday),
        )}
        ${this._counter(
          'incidents',
          t('dashboard.incidents'),
          sum((c) => c.incidents),
          sum((c) => c.incidents) > 0,
        )}
      </div>
      <section class="card" aria-labelledby="per-process">
        <h2 id="per-process">${t('dashboard.perProcess')}</h2>
        <div class="rv-table-wrap">
          <table class="rv-table">
            <thead>
              <tr>
                <th scope="col">${t('instance.key')}</th>
                <th scope="col">${t('dashboard.running')}</th>
                <th scope="col">${t('dashboard.waiting')}</th>
                <th scope="col">${t('dashboard.completedToday')}</th>
                <th scope="col">${t('dashboard.incidents')}</th>
                <th scope="col">${t('dashboard.cycleTimes')}</th>
              </tr>
            </thead>
            <tbody>
              ${counters.map(
                (c) =>
                  html`<tr data-process=${c.key}>
                    <th scope="row">
                      <button type="button" class="link" @click=${() => this._chooseHeat(c.key)}>
                        ${this._processName(c)}
                      </button>
                    </th>
                    <td data-count="running">${i18n.number(c.running)}</td>
                    <td data-count="waiting">${i18n.number(c.waiting)}</td>
                    <td data-count="completed-today">${i18n.number(c.completedToday)}</td>
                    <td data-count="incidents" class=${c.incidents ? 'error' : ''}>
                      ${i18n.number(c.incidents)}
                    </td>
                    <td>
                      ${c.averageHours === null ? '—' : i18n.number(c.averageHours, { maximumFractionDigits: 1 })}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      <div class="rv-dash-grid">
        ${this._overdueCard(
          'overdue-dir',
          t('dashboard.overdueDirectorate'),
          directorates.map((g) => ({ name: groupName(g.group), open: g.open, overdue: g.overdue })),
          rtl,
        )}
        ${this._overdueCard(
          'overdue-prov',
          t('dashboard.overdueProvince'),
          provinces.map((p) => ({ name: provinceName(p.province), open: p.open, overdue: p.overdue })),
          rtl,
        )}
        <section class="card" aria-labelledby="ati">
          <h2 id="ati">${t('dashboard.ati')}</h2>
          <div class="rv-counters small-counters">
            ${this._counter('ati-at-risk', t('dashboard.atRisk'), d.ati.atRisk.length, d.ati.atRisk.length > 0, 'warn')}
            ${this._counter('ati-breached', t('dashboard.breached'), d.ati.breached.length, d.ati.breached.length > 0)}
          </div>
          <ul class="rv-plain-list">
            ${[...d.ati.breached, ...d.ati.atRisk].slice(0, 8).map(
              (i) =>
                html`<li>
                  <a href="/dashboard/instance/${encodeURIComponent(i.id)}" @click=${linkClick}
                    ><bdi>${i.businessKey ?? i.id.slice(0, 8)}</bdi></a
                  >
                  — <rv-date .value=${String(i.variables.responseDueAt)}></rv-date>
                </li>`,
            )}
          </ul>
        </section>
        <section class="card" aria-labelledby="cycle">
          <h2 id="cycle">${t('dashboard.cycleTimes')}</h2>
          ${
            counters.some((c) => c.averageHours !== null)
              ? html`<rv-chart
                  .label=${t('dashboard.cycleTimes')}
                  .labels=${counters.filter((c) => c.averageHours !== null).map((c) => this._processName(c))}
                  .datasets=${[
                    {
                      label: t('dashboard.cycleTimes'),
                      data: counters
                        .filter((c) => c.averageHours !== null)
                        .map((c) => Math.round(c.averageHours! * 10) / 10),
                      color: '#0f6b5c',
                    },
                  ]}
                  horizontal
                  ?rtl=${rtl}
                ></rv-chart>`
              : html`<p class="muted">${t('dashboard.noData')}</p>`
          }
        </section>
      </div>
      <section class="card rv-heat" aria-labelledby="heat">
        <div class="row">
          <h2 id="heat">${t('dashboard.heatmap')}</h2>
          <label class="rv-inline-label"
            >${t('instance.key')}
            <select
              name="heat-process"
              @change=${(e: Event) => this._chooseHeat((e.target as HTMLSelectElement).value)}
            >
              ${counters.map((c) => html`<option value=${c.key} ?selected=${c.key === heatKey}>${this._processName(c)}</option>`)}
            </select></label
          >
        </div>
        <div class="rv-heat-grid">
          ${
            this._heatXml
              ? html`<rv-diagram
                  .xml=${this._heatXml}
                  .tokens=${this.data.tokensOf(heatKey)}
                  .label=${`${t('dashboard.heatmap')}: ${heatKey}`}
                ></rv-diagram>`
              : html`<p class="muted">${t('dashboard.noData')}</p>`
          }
          <div>
            <h3>${t('dashboard.instances')}</h3>
            ${
              this._instances.length
                ? html`<ul class="rv-plain-list">
                    ${this._instances.map(
                      (i) =>
                        html`<li>
                          <a href="/dashboard/instance/${encodeURIComponent(i.id)}" @click=${linkClick}
                            ><bdi>${i.businessKey ?? i.id.slice(0, 8)}</bdi></a
                          >
                          <span class="badge status-${i.status}">${t(`instance.status.${i.status}`)}</span>
                          <div class="muted small"><rv-date .value=${i.startedAt}></rv-date></div>
                        </li>`,
                    )}
                  </ul>`
                : html`<p class="muted">${t('instance.none')}</p>`
            }
          </div>
        </div>
      </section>
    </div>`;
  }

  /** A card with open and overdue tasks per row (directorate or province) as a stacked bar chart. */
  private _overdueCard(
    id: string,
    title: string,
    rows: { name: string; open: number; overdue: number }[],
    rtl: boolean,
  ) {
    return html`<section class="card" aria-labelledby=${id}>
      <h2 id=${id}>${title}</h2>
      ${
        rows.length
          ? html`<rv-chart
              .label=${title}
              .labels=${rows.map((r) => r.name)}
              .datasets=${[
                { label: t('dashboard.tasks'), data: rows.map((r) => r.open - r.overdue), color: '#7fb8ad' },
                { label: t('inbox.overdue'), data: rows.map((r) => r.overdue), color: '#b3261e' },
              ]}
              horizontal
              stacked
              ?rtl=${rtl}
            ></rv-chart>`
          : html`<p class="muted">${t('dashboard.noData')}</p>`
      }
    </section>`;
  }

  private _counter(
    id: string,
    label: string,
    value: number,
    alert = false,
    tone: 'danger' | 'warn' = 'danger',
  ) {
    return html`<div class="rv-counter ${alert ? tone : ''}" data-counter=${id}>
      <div class="value">${i18n.number(value)}</div>
      <div class="label">${label}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-dashboard': RvDashboard;
  }
}
