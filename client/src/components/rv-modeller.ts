import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { blankDiagram, createModeler, type ModelerInstance } from '../bpmn/modeler.js';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { router } from '../services/router.js';
import { session } from '../services/session.js';
import type { DefinitionSummary } from '../services/types.js';
import type { Canvas } from '../modeller/canvas-services.js';
import { clearServerMarks, showServerMark, type DeployErrorDetails } from '../modeller/server-error-marks.js';
import { modellerToolbar } from '../modeller/modeller-toolbar.js';
import { startInstanceForm } from '../modeller/start-instance-form.js';
import { versionOptions } from '../modeller/version-picker.js';
import './rv-bpmn-diff.js';
import './rv-date.js';

interface LintIssue {
  category: 'error' | 'warn' | 'info';
}

/**
 * The process modeller for managers: bpmn-js Modeler with the properties panel and Camunda extensions
 * (assignee, candidate groups, form key, due date, FEEL conditions), bpmnlint on the diagram, any deployed
 * version, deploy with the server's errors on the offending element, version list, visual diff, and starting
 * an instance. Light DOM: bpmn-js does not work inside a shadow root.
 */
@customElement('rv-modeller')
export class RvModeller extends LitElement {
  /** Process key from the route (`/modeller/:key/:version`). */
  @property() processKey = '';
  /** Version from the route; 0 = latest. */
  @property({ type: Number }) version = 0;

  @state() private _definitions: DefinitionSummary[] = [];
  @state() private _versions: DefinitionSummary[] = [];
  @state() private _loadedKey = '';
  @state() private _loadedVersion = 0;
  @state() private _dirty = false;
  @state() private _busy = false;
  @state() private _error: { text: string; details?: DeployErrorDetails } | null = null;
  @state() private _valid = false;
  @state() private _lint = { errors: 0, warnings: 0 };
  @state() private _diff: { from: number; to: number } | null = null;
  @state() private _diffXml: { from: string; to: string } | null = null;
  @state() private _started: { id: string } | null = null;

  private _modeler: ModelerInstance | undefined;
  private _loading: Promise<void> | undefined;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadDefinitions();
  }

  override disconnectedCallback(): void {
    this._modeler?.destroy();
    this._modeler = undefined;
    this._loadedKey = '';
    super.disconnectedCallback();
  }

  /** The modeller instance (tests and power users: window.ravandModeller). */
  get modeler(): ModelerInstance | undefined {
    return this._modeler;
  }

  protected override firstUpdated(): void {
    const canvas = this.querySelector<HTMLElement>('.rv-modeller-canvas')!;
    const panel = this.querySelector<HTMLElement>('.rv-properties')!;
    const modeler = createModeler(canvas, panel);
    this._modeler = modeler;
    modeler.on('commandStack.changed', () => {
      this._dirty = true;
      this._valid = false;
    });
    modeler.on('linting.completed', (e: { issues: Record<string, LintIssue[]> }) => {
      let errors = 0;
      let warnings = 0;
      for (const list of Object.values(e.issues)) {
        for (const issue of list) {
          if (issue.category === 'error') errors++;
          else warnings++;
        }
      }
      this._lint = { errors, warnings };
    });
    (window as unknown as { ravandModeller?: ModelerInstance }).ravandModeller = modeler;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if ((changed.has('processKey') || changed.has('version')) && this._modeler) void this._openRoute();
  }

  private async _loadDefinitions(): Promise<void> {
    try {
      this._definitions = await api.definitions();
    } catch (err) {
      this._showError(err);
    }
  }

  private async _openRoute(): Promise<void> {
    const key = this.processKey;
    if (!key) {
      if (!this._loadedKey) await this._import(blankDiagram('new-process'), '', 0);
      return;
    }
    if (key === this._loadedKey && (this.version === 0 || this.version === this._loadedVersion)) return;
    this._loading = (async () => {
      try {
        const versions = await api.versions(key);
        this._versions = [...versions].sort((a, b) => b.version - a.version);
        const version = this.version || this._versions[0]?.version;
        if (!version) return;
        const xml = await api.definitionXml(key, version);
        await this._import(xml, key, version);
      } catch (err) {
        this._showError(err);
      }
    })();
    await this._loading;
  }

  private async _import(xml: string, key: string, version: number): Promise<void> {
    const modeler = this._modeler!;
    this._error = null;
    this._diff = null;
    this._diffXml = null;
    try {
      await modeler.importXML(xml);
    } catch (err) {
      this._error = { text: (err as Error).message };
      return;
    }
    const canvas = modeler.get<Canvas>('canvas');
    // fit, then leave room on the left for the palette
    const fit = canvas.zoom('fit-viewport', 'auto');
    canvas.zoom(Math.min(1, fit * 0.86), 'auto');
    canvas.scroll({ dx: 60, dy: 0 });
    this._loadedKey = key;
    this._loadedVersion = version;
    this._dirty = false;
    this._valid = false;
    this._started = null;
    this.dispatchEvent(new Event('rv-loaded'));
  }

  private async _xml(): Promise<string> {
    const { xml } = await this._modeler!.saveXML({ format: true });
    return xml ?? '';
  }

  private _clearServerMarks(): void {
    clearServerMarks(this._modeler, this._error?.details?.elementId);
  }

  private _showError(err: unknown): void {
    this._clearServerMarks();
    if (!(err instanceof ApiError)) {
      this._error = { text: t('common.error') };
      return;
    }
    const details = (err.details ?? {}) as DeployErrorDetails;
    this._error = { text: i18n.text(err.text), details };
    if (details.elementId) showServerMark(this._modeler, details.elementId, i18n.text(err.text));
  }

  private async _validate(): Promise<void> {
    this._busy = true;
    this._clearServerMarks();
    this._error = null;
    try {
      await api.validate(await this._xml());
      this._valid = true;
    } catch (err) {
      this._showError(err);
    } finally {
      this._busy = false;
    }
  }

  private async _deploy(): Promise<void> {
    this._busy = true;
    this._clearServerMarks();
    this._error = null;
    try {
      const { definition, created } = await api.deploy(await this._xml());
      notices.show(
        t(created ? 'notice.deployed' : 'notice.deployedSame', {
          key: definition.key,
          version: definition.version,
        }),
        'success',
      );
      this._dirty = false;
      this._loadedKey = definition.key;
      this._loadedVersion = definition.version;
      this._versions = [...(await api.versions(definition.key))].sort((a, b) => b.version - a.version);
      void this._loadDefinitions();
      router.navigate(`/modeller/${encodeURIComponent(definition.key)}/${definition.version}`, true);
    } catch (err) {
      this._showError(err);
    } finally {
      this._busy = false;
    }
  }

  private async _start(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const businessKey = String(new FormData(form).get('businessKey') ?? '').trim();
    this._busy = true;
    try {
      const instance = await api.startInstance({
        key: this._loadedKey,
        version: this._loadedVersion,
        ...(businessKey ? { businessKey } : {}),
      });
      this._started = { id: instance.id };
      notices.show(t('notice.started', { id: instance.id }), 'success');
      form.reset();
    } catch (err) {
      this._showError(err);
    } finally {
      this._busy = false;
    }
  }

  private async _openFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await this._import(await file.text(), '', 0);
    this._dirty = true;
    input.value = '';
  }

  private async _download(): Promise<void> {
    const xml = await this._xml();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    a.download = `${this._loadedKey || 'process'}.bpmn`;
    a.click();
    URL.revokeObjectURL(a.href);
  }

  private async _compare(): Promise<void> {
    if (this._versions.length < 2) return;
    const to = this._loadedVersion || this._versions[0]!.version;
    const from = this._versions.find((v) => v.version < to)?.version ?? this._versions[1]!.version;
    await this._setDiff(from, to);
  }

  private async _setDiff(from: number, to: number): Promise<void> {
    this._diff = { from, to };
    const [a, b] = await Promise.all([
      api.definitionXml(this._loadedKey, from),
      api.definitionXml(this._loadedKey, to),
    ]);
    this._diffXml = { from: a, to: b };
  }

  override render() {
    const versions = this._versions;
    const key = this._loadedKey;
    return html`<div class="rv-modeller">
      ${modellerToolbar({
        processKey: this.processKey,
        loadedKey: key,
        loadedVersion: this._loadedVersion,
        definitions: this._definitions,
        versions,
        busy: this._busy,
        canCompare: versions.length >= 2,
        onOpenFile: (e) => void this._openFile(e),
        onDownload: () => void this._download(),
        onCompare: () => void this._compare(),
        onValidate: () => void this._validate(),
        onDeploy: () => void this._deploy(),
      })}
      <div class="rv-modeller-status" role="status">
        ${
          key
            ? html`<span><bdi>${key}</bdi> · ${t('common.version', { version: this._loadedVersion })}</span>
                ${this._versionInfo()}`
            : nothing
        }
        <span class="badge ${this._lint.errors ? 'danger' : 'ok'}" data-lint
          >${t('modeller.lint')}:
          ${t('modeller.lintCount', { errors: this._lint.errors, warnings: this._lint.warnings })}</span
        >
        ${this._dirty ? html`<span class="badge">${t('modeller.unsaved')}</span>` : nothing}
        ${this._valid ? html`<span class="badge ok">${t('modeller.valid')}</span>` : nothing}
      </div>
      ${
        this._error
          ? html`<div class="alert" role="alert" data-server-error=${this._error.details?.elementId ?? ''}>
              <strong>${t('modeller.serverErrors')}:</strong> ${this._error.text}
              ${this._error.details?.elementId ? html` — <bdi>${this._error.details.elementId}</bdi>` : nothing}
              ${this._error.details?.line ? html` (${this._error.details.line}:${this._error.details.column ?? 1})` : nothing}
            </div>`
          : nothing
      }
      <div class="rv-modeller-main" ?hidden=${!!this._diff}>
        <div
          class="rv-modeller-canvas rv-canvas rv-bpmn"
          role="application"
          aria-label=${t('modeller.title')}
        ></div>
        <aside class="rv-properties rv-bpmn" aria-label=${t('modeller.properties')}></aside>
      </div>
      ${this._diff ? this._diffView() : nothing}
      ${
        key && !this._dirty && session.hasRole('manager', 'staff')
          ? startInstanceForm({
              busy: this._busy,
              started: this._started,
              onSubmit: (e) => void this._start(e),
            })
          : nothing
      }
    </div>`;
  }

  private _versionInfo() {
    const v = this._versions.find((x) => x.version === this._loadedVersion);
    if (!v) return nothing;
    return html`<span class="muted small"
      ><rv-date .value=${v.deployedAt}></rv-date> ${t('modeller.deployedBy', { user: v.deployedBy })}</span
    >`;
  }

  private _diffView() {
    const diff = this._diff!;
    const options = (selected: number) => versionOptions(this._versions, selected);
    return html`<section class="rv-diff card" aria-label=${t('modeller.diff')}>
      <div class="row">
        <label
          >${t('modeller.diffFrom')}
          <select
            name="diff-from"
            @change=${(e: Event) => this._setDiff(Number((e.target as HTMLSelectElement).value), diff.to)}
          >
            ${options(diff.from)}
          </select></label
        >
        <label
          >${t('modeller.diffTo')}
          <select
            name="diff-to"
            @change=${(e: Event) => this._setDiff(diff.from, Number((e.target as HTMLSelectElement).value))}
          >
            ${options(diff.to)}
          </select></label
        >
        <span class="spacer"></span>
        <button type="button" @click=${() => ((this._diff = null), (this._diffXml = null))}>
          ${t('common.close')}
        </button>
      </div>
      ${
        this._diffXml
          ? html`<rv-bpmn-diff
              .fromXml=${this._diffXml.from}
              .toXml=${this._diffXml.to}
              .fromVersion=${diff.from}
              .toVersion=${diff.to}
            ></rv-bpmn-diff>`
          : html`<p class="muted">${t('common.loading')}</p>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-modeller': RvModeller;
  }
}
