import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LiveController } from '../controllers/live-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { formKeysOf } from '../forms/variable-labels.js';
import { isolate } from '../i18n/bidi.js';
import { i18n, t, type MessageKey } from '../i18n/i18n.js';
import { en as messagesEn } from '../i18n/catalogue.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { directory } from '../services/directory.js';
import { session } from '../services/session.js';
import { live } from '../services/socket.js';
import type { AuditEvent, InstanceDetail } from '../services/types.js';
import './rv-date.js';
import './rv-diagram.js';
import './rv-documents.js';
import './rv-timeline.js';
import './rv-variables.js';

/**
 * One instance in depth: the diagram with the path taken, where it waits and any incident; the timeline of
 * who did what; variables; the audit trail; and the operations a manager may run. Live via its instance room.
 */
@customElement('rv-instance-view')
export class RvInstanceView extends LitElement {
  @property() instanceId = '';

  @state() private _detail: InstanceDetail | null = null;
  @state() private _xml = '';
  @state() private _audit: AuditEvent[] = [];
  /** Element names of the instance's version, for the audit table. */
  @state() private _names = new Map<string, { fa: string; en: string }>();
  @state() private _error: ApiError | null = null;
  /** The process's name in both languages (the instance carries only its key). */
  @state() private _processName: { fa: string; en: string } | null = null;

  private _unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
    const reload = (id: string) => {
      if (id === this.instanceId) void this._load(false);
    };
    new LiveController(this)
      .on('instance:updated', (e) => reload(e.instance.id))
      .on('task:created', (e) => reload(e.task.instanceId))
      .on('task:completed', (e) => reload(e.task.instanceId))
      .on('incident:raised', (e) => reload(e.instance.id));
  }

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    this._unsubscribe?.();
    super.disconnectedCallback();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('instanceId') && this.instanceId) {
      this._unsubscribe?.();
      this._unsubscribe = live.subscribeInstance(this.instanceId);
      void this._load(true);
    }
  }

  private async _load(withXml: boolean): Promise<void> {
    const id = this.instanceId;
    try {
      const detail = await api.instance(id);
      if (id !== this.instanceId) return;
      this._detail = detail;
      this._error = null;
      if (withXml || !this._xml) {
        this._xml = await api.definitionXml(detail.instance.key, detail.instance.version).catch(() => '');
        const versions = await api.versions(detail.instance.key).catch(() => []);
        const elements = versions.find((v) => v.version === detail.instance.version)?.elements ?? [];
        this._names = new Map(elements.map((e) => [e.id, e.name]));
        this._processName = versions.find((v) => v.version === detail.instance.version)?.name ?? null;
      }
      if (session.hasRole('manager', 'leadership', 'auditor'))
        this._audit = await api.audit(id).catch(() => []);
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    }
  }

  /** Forms of the instance's tasks (done and open), whose fields label its variables; stable between renders. */
  private _formKeys(detail: InstanceDetail): string[] {
    const keys = formKeysOf(this._xml, [...detail.history, ...detail.openTasks]);
    if (keys.join() !== this._formKeyCache.join()) this._formKeyCache = keys;
    return this._formKeyCache;
  }
  private _formKeyCache: string[] = [];

  private _auditTable() {
    const label = (type: string) => {
      const key = `audit.${type}`;
      return key in messagesEn ? t(key as MessageKey) : type;
    };
    return html`<section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">${t('audit.title')}</h2>
      <div class="rv-table-wrap">
        <table class="rv-table" data-audit>
          <thead>
            <tr>
              <th scope="col">${t('audit.when')}</th>
              <th scope="col">${t('audit.who')}</th>
              <th scope="col">${t('audit.what')}</th>
              <th scope="col">${t('audit.where')}</th>
            </tr>
          </thead>
          <tbody>
            ${this._audit.map(
              (a) =>
                html`<tr>
                  <td><rv-date .value=${a.at}></rv-date></td>
                  <td><bdi title=${a.actor}>${directory.userName(a.actor)}</bdi></td>
                  <td>${label(a.type)}</td>
                  <td>${a.elementId ? i18n.text(this._names.get(a.elementId)) || a.elementId : ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private async _command(action: 'suspend' | 'resume' | 'retry' | 'cancel'): Promise<void> {
    try {
      if (action === 'cancel') await api.cancelInstance(this.instanceId, 'cancelled from the dashboard');
      else await api.instanceCommand(this.instanceId, action);
      await this._load(false);
    } catch (err) {
      notices.show(err instanceof ApiError ? i18n.text(err.text) : t('common.error'), 'error');
    }
  }

  override render() {
    if (this._error) return html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>`;
    const detail = this._detail;
    if (!detail) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
    const inst = detail.instance;
    const tokens: Record<string, number> = {};
    for (const tk of detail.tokens) tokens[tk.elementId] = (tokens[tk.elementId] ?? 0) + tk.count;
    const waiting = new Set((inst.waiting ?? []).map((w) => w.elementId));
    const doneElements = [
      ...detail.history.map((h) => h.elementId),
      ...this._audit.map((a) => a.elementId).filter((x): x is string => !!x),
    ].filter((id) => !waiting.has(id));
    const manager = session.hasRole('manager');
    return html`<article class="rv-instance" data-instance=${inst.id}>
      <div class="rv-task-head">
        <div>
          <h1>${t('instance.title', { id: isolate(inst.businessKey ?? inst.id) })}</h1>
          <div class="muted">
            <span title=${inst.key}>${i18n.text(this._processName) || inst.key}</span> ·
            ${t('common.version', { version: inst.version })} ·
            <span class="badge status-${inst.status}" data-status=${inst.status}
              >${t(`instance.status.${inst.status}`)}</span
            >
          </div>
          <div class="muted small">
            ${t('instance.startedAt')}: <rv-date .value=${inst.startedAt}></rv-date> ·
            ${t('instance.startedBy')}:
            <bdi title=${inst.startedBy}>${directory.userName(inst.startedBy)}</bdi>
            ${inst.endedAt ? html` · ${t('instance.endedAt')}: <rv-date .value=${inst.endedAt}></rv-date>` : nothing}
          </div>
        </div>
        ${
          manager
            ? html`<div class="row">
                ${
                  inst.status === 'failed'
                    ? html`<button type="button" @click=${() => this._command('retry')}>
                        ${t('instance.retry')}
                      </button>`
                    : nothing
                }
                ${
                  inst.status === 'running'
                    ? html`<button type="button" @click=${() => this._command('suspend')}>
                        ${t('instance.suspend')}
                      </button>`
                    : nothing
                }
                ${
                  inst.status === 'suspended'
                    ? html`<button type="button" @click=${() => this._command('resume')}>
                        ${t('instance.resume')}
                      </button>`
                    : nothing
                }
                ${
                  ['running', 'suspended', 'failed'].includes(inst.status)
                    ? html`<button type="button" @click=${() => this._command('cancel')}>
                        ${t('instance.cancel')}
                      </button>`
                    : nothing
                }
              </div>`
            : nothing
        }
      </div>
      ${
        inst.incident
          ? html`<div class="alert" role="alert">
              ${t('instance.incident')}:
              <bdi>${i18n.text(this._names.get(inst.incident.elementId)) || inst.incident.elementId}</bdi> —
              <bdi>${inst.incident.message}</bdi>
            </div>`
          : nothing
      }
      <section class="card">
        <rv-diagram
          class="rv-instance-diagram"
          .xml=${this._xml}
          .done=${doneElements}
          .current=${(inst.waiting ?? []).map((w) => w.elementId)}
          .incidents=${inst.incident ? [inst.incident.elementId] : []}
          .tokens=${tokens}
          .label=${inst.key}
        ></rv-diagram>
      </section>
      <section class="card" aria-labelledby="documents-title">
        <h2 id="documents-title">${t('documents.title')}</h2>
        <rv-documents
          .instanceId=${inst.id}
          ?readonly=${!session.user?.roles.some((r) => r === 'admin' || r === 'manager' || r === 'staff')}
        ></rv-documents>
      </section>
      <div class="rv-task-grid">
        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">${t('instance.timeline')}</h2>
          <rv-timeline .instance=${inst} .history=${detail.history} .open=${detail.openTasks}></rv-timeline>
        </section>
        <section class="card" aria-labelledby="variables-title">
          <h2 id="variables-title">${t('task.variables')}</h2>
          <rv-variables .variables=${inst.variables} .formKeys=${this._formKeys(detail)}></rv-variables>
        </section>
      </div>
      ${this._audit.length ? this._auditTable() : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-instance-view': RvInstanceView;
  }
}
