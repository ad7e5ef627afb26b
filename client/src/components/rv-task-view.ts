import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LiveController } from '../controllers/live-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { loadForm } from '../forms/forms.js';
import { formKeysOf } from '../forms/variable-labels.js';
import type { FieldError, FormSchema } from '../forms/form-schema.js';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { directory } from '../services/directory.js';
import { session } from '../services/session.js';
import { live } from '../services/socket.js';
import type { InstanceDetail, TaskRecord } from '../services/types.js';
import './rv-comments.js';
import './rv-documents.js';
import './rv-date.js';
import './rv-diagram.js';
import './rv-json-form.js';
import './rv-timeline.js';
import './rv-variables.js';

/**
 * One task: its form (JSON Schema, with the server's validation messages), the instance's variables, its
 * history timeline and the diagram with the task highlighted. Light DOM (it holds a bpmn-js viewer).
 * @fires rv-task-done after the task was completed here
 */
@customElement('rv-task-view')
export class RvTaskView extends LitElement {
  @property() taskId = '';

  @state() private _task: TaskRecord | null = null;
  @state() private _form: FormSchema | null = null;
  @state() private _detail: InstanceDetail | null = null;
  @state() private _xml = '';
  @state() private _errors: FieldError[] = [];
  @state() private _error: ApiError | null = null;
  @state() private _busy = false;
  @state() private _gone = false;
  /** Form values prefilled from process variables, computed once per task (a new object would reset the form). */
  @state() private _initial: Record<string, unknown> = {};

  private _unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
    new LiveController(this)
      .on('task:completed', (e) => {
        if (e.task.id !== this.taskId || this._busy) return;
        this._gone = true;
        void this._loadInstance();
      })
      .on('task:updated', (e) => {
        if (e.task.id === this.taskId) this._task = e.task;
      })
      .on('task:created', (e) => {
        if (e.task.instanceId === this._task?.instanceId) void this._loadInstance();
      });
  }

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    this._unsubscribe?.();
    super.disconnectedCallback();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('taskId') && this.taskId) void this._load();
  }

  private async _load(): Promise<void> {
    const id = this.taskId;
    this._task = null;
    this._form = null;
    this._detail = null;
    this._xml = '';
    this._errors = [];
    this._error = null;
    this._gone = false;
    this._initial = {};
    try {
      const task = await api.task(id);
      if (id !== this.taskId) return;
      this._task = task;
      this._unsubscribe?.();
      this._unsubscribe = live.subscribeInstance(task.instanceId);
      const [form, xml] = await Promise.all([
        task.formKey
          ? loadForm(task.formKey, `${task.definitionKey}:${task.definitionVersion}`)
          : Promise.resolve(null),
        api.definitionXml(task.definitionKey, task.definitionVersion).catch(() => ''),
        this._loadInstance(),
      ]);
      if (id !== this.taskId) return;
      this._form = form;
      this._xml = xml;
      this._initial = this._initialValues();
      // the opened task takes the focus (keyboard and screen-reader users land on it, not on the list)
      await this.updateComplete;
      this.querySelector<HTMLElement>('#task-title')?.focus();
    } catch (err) {
      if (id !== this.taskId) return;
      this._error = err instanceof ApiError ? err : null;
      if (err instanceof ApiError && (err.status === 404 || err.code === 'RV_ERR_TASK_NOT_OPEN'))
        this._gone = true;
    }
  }

  private async _loadInstance(): Promise<void> {
    const instanceId = this._task?.instanceId;
    if (!instanceId) return;
    try {
      this._detail = await api.instance(instanceId);
    } catch {
      // staff may not read every instance; the task still works without its context
    }
  }

  private async _submit(data: Record<string, unknown>): Promise<void> {
    const task = this._task;
    if (!task) return;
    this._busy = true;
    this._errors = [];
    this._error = null;
    try {
      if (task.assignee !== session.user?.id) this._task = await api.taskCommand(task.id, 'claim');
      await api.complete(task.id, data);
      notices.show(t('notice.completed'), 'success');
      this.dispatchEvent(new CustomEvent('rv-task-done', { detail: { taskId: task.id }, bubbles: true }));
    } catch (err) {
      if (err instanceof ApiError) {
        const details = err.details as { errors?: FieldError[] } | undefined;
        if (err.code === 'RV_ERR_FORM_INVALID' && Array.isArray(details?.errors))
          this._errors = details.errors;
        else this._error = err;
        if (err.code === 'RV_ERR_TASK_NOT_OPEN' || err.code === 'RV_ERR_TASK_NOT_FOUND') this._gone = true;
      }
    } finally {
      this._busy = false;
    }
  }

  private async _claim(action: 'claim' | 'unclaim'): Promise<void> {
    if (!this._task) return;
    try {
      this._task = await api.taskCommand(this._task.id, action);
      notices.show(t(action === 'claim' ? 'notice.claimed' : 'notice.released'), 'success');
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    }
  }

  override render() {
    const task = this._task;
    if (!task) {
      return this._error
        ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>`
        : html`<p class="muted" role="status">${t('common.loading')}</p>`;
    }
    const me = session.user?.id;
    const claimedByOther = !!task.assignee && task.assignee !== me;
    // four-eyes: the server refused this user (an earlier step of the case was theirs); the form stays shut
    const barred = this._error?.code === 'RV_ERR_SEPARATION_OF_DUTIES';
    const history = this._detail?.history ?? [];
    return html`<article class="rv-task-view" data-task=${task.id}>
      <div class="rv-task-head">
        <div>
          <h2 id="task-title" tabindex="-1">${i18n.text(task.name)}</h2>
          <div class="muted">
            ${i18n.text(task.processName)} · ${t('common.version', { version: task.definitionVersion })}
            ${task.businessKey ? html` · ${t('task.businessKey')}: <bdi class="rv-ref">${task.businessKey}</bdi>` : nothing}
          </div>
          <div class="rv-task-meta small">
            ${task.dueAt ? html`<span>${t('inbox.due')}: <rv-date .value=${task.dueAt}></rv-date></span>` : nothing}
            <span class="badge">${t('inbox.priorityValue', { value: task.priority })}</span>
            <span class="muted" title=${task.assignee ?? nothing}
              >${task.assignee ? t('inbox.assignee', { name: directory.userName(task.assignee) }) : t('inbox.unassigned')}</span
            >
          </div>
        </div>
        <div class="row">
          ${
            !task.assignee && !barred
              ? html`<button type="button" data-action="claim" @click=${() => this._claim('claim')}>
                  ${t('inbox.claim')}
                </button>`
              : task.assignee === me
                ? html`<button type="button" data-action="unclaim" @click=${() => this._claim('unclaim')}>
                    ${t('inbox.unclaim')}
                  </button>`
                : nothing
          }
        </div>
      </div>
      ${this._gone ? html`<div class="alert" role="alert">${t('task.notOpen')}</div>` : nothing}
      ${
        this._error && !this._gone
          ? html`<div class="alert" role="alert" data-error=${this._error.code}>
              ${i18n.text(this._error.text)}
            </div>`
          : nothing
      }
      <div class="rv-task-grid">
        <section class="card rv-task-form" aria-labelledby="form-title">
          <h3 id="form-title">
            ${this._form ? i18n.text(this._form['x-title']) || t('task.form') : t('task.form')}
          </h3>
          ${claimedByOther ? html`<p class="muted" title=${task.assignee!}>${t('inbox.assignee', { name: directory.userName(task.assignee) })}</p>` : nothing}
          ${
            this._form
              ? html`<rv-json-form
                  .schema=${this._form}
                  .value=${this._initial}
                  .errors=${this._errors}
                  .upload=${{ instanceId: task.instanceId, taskId: task.id }}
                  .submitLabel=${this._busy ? t('task.submitting') : t('task.submit')}
                  ?disabled=${this._busy || this._gone || claimedByOther || barred}
                  @rv-submit=${(e: CustomEvent<{ data: Record<string, unknown> }>) => this._submit(e.detail.data)}
                ></rv-json-form>`
              : html`<p class="muted">${t('task.noForm')}</p>
                  <button
                    class="primary"
                    type="button"
                    ?disabled=${this._busy || this._gone || claimedByOther || barred}
                    @click=${() => this._submit({})}
                  >
                    ${t('task.submit')}
                  </button>`
          }
        </section>
        <section class="card rv-task-diagram" aria-labelledby="diagram-title">
          <h3 id="diagram-title">${t('task.diagram')}</h3>
          ${
            this._xml
              ? html`<rv-diagram
                  .xml=${this._xml}
                  .current=${[task.elementId]}
                  .done=${history.map((h) => h.elementId)}
                  .label=${`${t('task.diagram')}: ${i18n.text(task.processName)}`}
                ></rv-diagram>`
              : html`<p class="muted">${t('common.loading')}</p>`
          }
        </section>
        <section class="card" aria-labelledby="vars-title">
          <h3 id="vars-title">${t('task.variables')}</h3>
          <rv-variables
            .variables=${this._detail?.instance.variables ?? {}}
            .formKeys=${this._formKeys()}
          ></rv-variables>
        </section>
        <section class="card" aria-labelledby="documents-title">
          <h3 id="documents-title">${t('documents.title')}</h3>
          <rv-documents
            .instanceId=${task.instanceId}
            .taskId=${task.id}
            ?readonly=${this._gone}
          ></rv-documents>
        </section>
        <section class="card" aria-labelledby="comments-title">
          <h3 id="comments-title">${t('comments.title')}</h3>
          <rv-comments
            .taskId=${task.id}
            .instanceId=${task.instanceId}
            ?readonly=${this._gone}
          ></rv-comments>
        </section>
        <section class="card" aria-labelledby="history-title">
          <h3 id="history-title">${t('task.history')}</h3>
          <rv-timeline
            .instance=${this._detail?.instance ?? null}
            .history=${history}
            .open=${this._detail?.openTasks ?? []}
          ></rv-timeline>
        </section>
      </div>
    </article>`;
  }

  /** Forms of the instance's tasks, whose fields label its variables; the same array while they stay the same. */
  private _formKeys(): string[] {
    const d = this._detail;
    const keys = formKeysOf(this._xml, [
      this._task ?? undefined,
      ...(d?.history ?? []),
      ...(d?.openTasks ?? []),
    ]);
    if (keys.join() !== this._formKeyCache.join()) this._formKeyCache = keys;
    return this._formKeyCache;
  }
  private _formKeyCache: string[] = [];

  /** Form fields prefilled from process variables of the same name (e.g. a returned draft). */
  private _initialValues(): Record<string, unknown> {
    const vars = this._detail?.instance.variables ?? {};
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(this._form?.properties ?? {})) if (name in vars) out[name] = vars[name];
    return out;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-task-view': RvTaskView;
  }
}
