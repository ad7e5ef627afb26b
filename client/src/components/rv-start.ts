import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { loadForm } from '../forms/forms.js';
import type { FieldError, FormSchema } from '../forms/form-schema.js';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { linkClick, router } from '../services/router.js';
import { session } from '../services/session.js';
import type { TaskRecord } from '../services/types.js';
import { workApi, type StartableProcess } from '../services/work-api.js';
import { shared } from '../styles/shared.js';
import './rv-json-form.js';

/**
 * The start page ("New request"): the processes the user may start and, for the chosen one, its start form.
 * After starting, the user lands on the first task when it is theirs, else on the new instance.
 */
@customElement('rv-start')
export class RvStart extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        max-width: 60rem;
        margin-inline: auto;
      }
      .intro {
        margin: 0 0 1rem;
      }
      ul.processes {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.8rem;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr));
      }
      ul.processes li {
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
      }
      ul.processes h2 {
        font-size: 1.02rem;
        margin: 0;
      }
      ul.processes p {
        margin: 0;
        flex: 1;
        font-size: 0.92rem;
      }
      a.button {
        align-self: flex-start;
        text-decoration: none;
        background: var(--rv-primary);
        color: #fff;
        border-radius: 6px;
        padding: 0.4rem 0.9rem;
      }
      a.button:hover {
        background: var(--rv-primary-dark);
      }
      a.back {
        color: var(--rv-primary);
        display: inline-block;
        margin-bottom: 0.6rem;
      }
      .reference {
        display: grid;
        gap: 0.3rem;
        margin-bottom: 1rem;
      }
      .reference label {
        font-weight: 600;
      }
      .reference input {
        width: min(100%, 28rem);
      }
      .help {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
    `,
  ];

  /** The process whose start form is open (route `/start/:key`); empty for the list. */
  @property() processKey = '';

  @state() private _processes: StartableProcess[] | null = null;
  @state() private _form: FormSchema | null = null;
  @state() private _formFor = '';
  @state() private _errors: FieldError[] = [];
  @state() private _error: ApiError | null = null;
  @state() private _busy = false;
  @state() private _reference = '';

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadList();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('processKey')) {
      this._errors = [];
      this._error = null;
      this._reference = '';
      void this._loadForm();
    }
  }

  private async _loadList(): Promise<void> {
    try {
      this._processes = await workApi.startable();
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
      this._processes = [];
    }
    void this._loadForm();
  }

  private async _loadForm(): Promise<void> {
    const key = this.processKey;
    const process = this._processes?.find((p) => p.key === key);
    if (!process) {
      this._form = null;
      this._formFor = '';
      return;
    }
    const form = process.startForm
      ? (process.startForm as FormSchema)
      : process.startFormKey
        ? await loadForm(process.startFormKey)
        : null;
    if (key !== this.processKey) return;
    this._form = form;
    this._formFor = key;
  }

  private async _start(process: StartableProcess, data: Record<string, unknown>): Promise<void> {
    this._busy = true;
    this._errors = [];
    this._error = null;
    try {
      const reference = this._reference.trim();
      const instance = await workApi.start({
        key: process.key,
        version: process.version,
        variables: data,
        ...(reference ? { businessKey: reference } : {}),
      });
      notices.show(t('start.started', { ref: instance.businessKey ?? instance.id }), 'success');
      const mine = instance.firstTaskId ?? (await this._firstTaskOfMine(instance.id))?.id;
      router.navigate(
        mine ? `/inbox/task/${encodeURIComponent(mine)}` : `/instances/${encodeURIComponent(instance.id)}`,
      );
    } catch (err) {
      if (err instanceof ApiError) {
        const details = err.details as { errors?: FieldError[] } | undefined;
        if (err.code === 'RV_ERR_FORM_INVALID' && Array.isArray(details?.errors))
          this._errors = details.errors;
        else this._error = err;
      } else this._error = null;
    } finally {
      this._busy = false;
    }
  }

  /** The new instance's first open task offered to the signed-in user, if any. */
  private async _firstTaskOfMine(instanceId: string): Promise<TaskRecord | undefined> {
    const me = session.user?.id;
    const groups = new Set(session.groupIds());
    const page = await api.tasks({ instanceId, view: 'visible', limit: 20 }).catch(() => null);
    return page?.items.find(
      (task) =>
        task.assignee === me ||
        (!task.assignee &&
          (task.candidateUsers.includes(me ?? '') || task.candidateGroups.some((g) => groups.has(g)))),
    );
  }

  override render() {
    const list = this._processes;
    if (!list) return html`<p class="muted" role="status">${t('common.loading')}</p>`;
    const process = this.processKey ? list.find((p) => p.key === this.processKey) : undefined;
    if (process) return this._startForm(process);
    return html`<h1>${t('start.title')}</h1>
      ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : nothing}
      ${
        list.length
          ? html`<p class="intro muted">${t('start.intro')}</p>
              <ul class="processes">
                ${list.map(
                  (p) =>
                    html`<li class="card" data-process=${p.key}>
                      <h2>${i18n.text(p.name)}</h2>
                      ${
                        p.referencePreview
                          ? html`<p class="muted"><bdi>${p.referencePreview}</bdi></p>`
                          : html`<p></p>`
                      }
                      <a
                        class="button"
                        href="/start/${encodeURIComponent(p.key)}"
                        data-start=${p.key}
                        @click=${linkClick}
                        >${t('start.choose')}</a
                      >
                    </li>`,
                )}
              </ul>`
          : html`<p class="muted" data-empty>${t('start.none')}</p>`
      }`;
  }

  private _startForm(process: StartableProcess) {
    const ready = this._formFor === process.key;
    const submit = (data: Record<string, unknown>) => this._start(process, data);
    return html`<a class="back" href="/start" @click=${linkClick}>${t('start.back')}</a>
      <section class="card" data-start-form=${process.key}>
        <h1>${i18n.text(process.name)}</h1>
        ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : nothing}
        ${
          process.referencePattern
            ? html`<p class="muted small" data-reference-preview>
                ${t('start.reference')}: <bdi>${process.referencePreview ?? process.referencePattern}</bdi>
              </p>`
            : html`<div class="reference">
                <label for="reference">${t('start.reference')}</label>
                <input
                  id="reference"
                  name="reference"
                  dir="auto"
                  maxlength="200"
                  aria-describedby="reference-help"
                  .value=${this._reference}
                  @input=${(e: Event) => (this._reference = (e.target as HTMLInputElement).value)}
                />
                <div class="help" id="reference-help">${t('start.referenceHelp')}</div>
              </div>`
        }
        ${
          !ready
            ? html`<p class="muted" role="status">${t('common.loading')}</p>`
            : this._form
              ? html`<rv-json-form
                  .schema=${this._form}
                  .errors=${this._errors}
                  .submitLabel=${this._busy ? t('start.submitting') : t('start.submit')}
                  ?disabled=${this._busy}
                  @rv-submit=${(e: CustomEvent<{ data: Record<string, unknown> }>) => submit(e.detail.data)}
                ></rv-json-form>`
              : html`<p class="muted">${t('start.noForm')}</p>
                  <button class="primary" type="button" ?disabled=${this._busy} @click=${() => submit({})}>
                    ${this._busy ? t('start.submitting') : t('start.submit')}
                  </button>`
        }
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-start': RvStart;
  }
}
