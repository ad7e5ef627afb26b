import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LintIssue } from '../../../schemas/model-lint/lint-messages.js';
import { WatchController } from '../controllers/watch-controller.js';
import { blankDiagram, createModeler, type ModelerInstance } from '../bpmn/modeler.js';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { directory } from '../services/directory.js';
import { notices } from '../services/notices.js';
import { router } from '../services/router.js';
import { session } from '../services/session.js';
import type { DefinitionSummary } from '../services/types.js';
import { workApi } from '../services/work-api.js';
import { fitView } from '../modeller/fit-view.js';
import { draftApi, type DraftImpact } from '../modeller/draft-api.js';
import { draftDiff } from '../modeller/draft-diff.js';
import { elementLabel, xmlLabel } from '../modeller/element-label.js';
import { lintList } from '../modeller/lint-list.js';
import { lintNow, loadLintContext, relint } from '../modeller/lint-state.js';
import { modellerToolbar } from '../modeller/modeller-toolbar.js';
import { clearServerMarks, showServerMark, type DeployErrorDetails } from '../modeller/server-error-marks.js';
import { startInstanceForm } from '../modeller/start-instance-form.js';
import './rv-date.js';
import { draftFormsUsed } from '../modeller/office-panel/draft-forms.js';

/**
 * The process modeller for managers: bpmn-js Modeler with the properties panel (modeller/properties-panel-modules),
 * the lint rule set the server runs (a deploy with errors is refused here and there, warnings ask first), the
 * unsaved draft compared with any deployed version and the running instances it affects, deploy with the server's
 * errors on the offending element, and starting an instance. Light DOM: bpmn-js does not work in a shadow root.
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
  /** The issue list: shown on request, when a deploy is blocked, or to confirm warnings. */
  @state() private _issues: { list: LintIssue[]; gate: 'errors' | 'warnings' | 'server' | null } | null =
    null;
  @state() private _diff: { from: number; xml: { from: string; to: string } | null } | null = null;
  @state() private _impact: DraftImpact | 'failed' | null = null;

  private _modeler: ModelerInstance | undefined;
  private _loading: Promise<void> | undefined;
  /** The canvas was resized (a phone turned, a window narrowed): the diagram is fitted again if nobody moved it. */
  private _resize = new ResizeObserver(() => {
    if (!this._viewMoved) this._fit();
    else this._modeler?.get<{ resized(): void }>('canvas').resized();
  });
  private _fitting = false;
  private _viewMoved = false;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadDefinitions();
  }

  override disconnectedCallback(): void {
    this._resize.disconnect();
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
    modeler.on('canvas.viewbox.changing', () => {
      if (!this._fitting) this._viewMoved = true;
    });
    this._resize.observe(canvas);
    // every import (a version, a file, a test's) is fitted clear of the palette
    modeler.on('import.done', () => this._fit());
    modeler.on('commandStack.changed', () => {
      this._dirty = true;
      this._valid = false;
    });
    modeler.on('linting.completed', (e: { issues: Record<string, Array<{ category: string }>> }) => {
      let errors = 0;
      let warnings = 0;
      for (const list of Object.values(e.issues))
        for (const issue of list) {
          if (issue.category === 'error') errors++;
          else warnings++;
        }
      this._lint = { errors, warnings };
      // an open list follows the diagram
      if (this._issues && this._issues.gate !== 'server') void this._refreshIssues();
    });
    // the groups and forms the rules check: lint again once they are here
    void loadLintContext().then((ok) => ok && this._modeler && relint(this._modeler));
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
    this._issues = null;
    try {
      await modeler.importXML(xml);
    } catch (err) {
      this._error = { text: (err as Error).message };
      return;
    }
    this._loadedKey = key;
    this._loadedVersion = version;
    this._dirty = false;
    this._valid = false;
    this.dispatchEvent(new Event('rv-loaded'));
  }

  /** Fits the diagram beside (or, on phones, below) the palette; the view is the person's again once they move it. */
  private _fit(): void {
    if (!this._modeler) return;
    this._fitting = true;
    try {
      fitView(this._modeler.get('canvas'), this.querySelector<HTMLElement>('.rv-modeller-canvas')!);
    } finally {
      this._fitting = false;
    }
    this._viewMoved = false;
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
    if (err.code === 'RV_ERR_MODEL_LINT') {
      // the server's list of the same rules: shown like the modeller's own
      this._error = null;
      const details = err.details as { issues?: LintIssue[] } | undefined;
      this._issues = { list: details?.issues ?? [], gate: 'server' };
      return;
    }
    const details = (err.details ?? {}) as DeployErrorDetails;
    this._error = { text: i18n.text(err.text), details };
    if (details.elementId) showServerMark(this._modeler, details.elementId, i18n.text(err.text));
  }

  private async _refreshIssues(): Promise<void> {
    if (!this._modeler || !this._issues) return;
    const list = await lintNow(this._modeler);
    if (this._issues) this._issues = { ...this._issues, list };
  }

  private async _toggleIssues(): Promise<void> {
    if (this._issues) {
      this._issues = null;
      return;
    }
    this._issues = { list: [], gate: null };
    await this._refreshIssues();
  }

  private async _validate(): Promise<void> {
    this._busy = true;
    this._clearServerMarks();
    this._error = null;
    this._issues = null;
    try {
      await api.validate(await this._xml(), await draftFormsUsed(this._modeler));
      this._valid = true;
    } catch (err) {
      this._showError(err);
    } finally {
      this._busy = false;
    }
  }

  /** The deploy gate: lint errors block (the list says which), warnings ask first; then the server decides. */
  private async _deploy(confirmed = false): Promise<void> {
    if (!this._modeler) return;
    this._clearServerMarks();
    this._error = null;
    const issues = await lintNow(this._modeler);
    if (issues.some((i) => i.category === 'error')) {
      this._issues = { list: issues, gate: 'errors' };
      return;
    }
    if (issues.length && !confirmed) {
      this._issues = { list: issues, gate: 'warnings' };
      return;
    }
    this._issues = null;
    this._busy = true;
    try {
      const { definition, created } = await api.deploy(
        await this._xml(),
        await draftFormsUsed(this._modeler),
      );
      notices.show(
        t(created ? 'notice.deployed' : 'notice.deployedSame', {
          key: definition.key,
          version: definition.version,
        }),
        'success',
      );
      this._dirty = false;
      this._diff = null;
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
    // the start page has the process's start form and reference: starting from here would skip them
    this._busy = true;
    try {
      const startable = await workApi.startable();
      if (startable.some((p) => p.key === this._loadedKey))
        router.navigate(`/start/${encodeURIComponent(this._loadedKey)}`);
      else notices.show(t('start.notStarter'), 'error');
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

  /** Compares the diagram as it is now (the draft) with a deployed version, and asks what it does to running instances. */
  private async _compare(from?: number): Promise<void> {
    if (!this._versions.length) return;
    const version = from ?? (this._dirty ? this._loadedVersion : this._previousVersion());
    this._diff = { from: version, xml: null };
    const draft = await this._xml();
    const [deployed] = await Promise.all([
      api.definitionXml(this._loadedKey, version),
      from === undefined ? this._loadImpact(draft) : undefined,
    ]);
    if (this._diff?.from === version) this._diff = { from: version, xml: { from: deployed, to: draft } };
  }

  /** The version before the loaded one (or the loaded one when it is the first). */
  private _previousVersion(): number {
    return this._versions.find((v) => v.version < this._loadedVersion)?.version ?? this._loadedVersion;
  }

  private async _loadImpact(draft: string): Promise<void> {
    this._impact = null;
    try {
      this._impact = await draftApi.impact(draft);
    } catch {
      this._impact = 'failed';
    }
  }

  override render() {
    const versions = this._versions;
    const key = this._loadedKey;
    const lintLabel = t('modeller.lintCount', { errors: this._lint.errors, warnings: this._lint.warnings });
    return html`<div class="rv-modeller">
      ${modellerToolbar({
        processKey: this.processKey,
        loadedKey: key,
        loadedVersion: this._loadedVersion,
        definitions: this._definitions,
        versions,
        busy: this._busy,
        canCompare: versions.length >= 1 && !!key,
        onOpenFile: (e) => void this._openFile(e),
        onDownload: () => void this._download(),
        onCompare: () => void this._compare(),
        onValidate: () => void this._validate(),
        onDeploy: () => void this._deploy(),
        onSearch: (e) => {
          // the pad closes on any click that reaches the document, this one included
          e.stopPropagation();
          this._modeler?.get<{ toggle(): void }>('searchPad').toggle();
        },
      })}
      <div class="rv-modeller-status" role="status">
        ${
          key
            ? html`<span><bdi>${key}</bdi> · ${t('common.version', { version: this._loadedVersion })}</span>
                ${this._versionInfo()}`
            : nothing
        }
        <button
          type="button"
          class="badge ${this._lint.errors ? 'danger' : this._lint.warnings ? 'warn' : 'ok'}"
          data-lint
          data-errors=${this._lint.errors}
          data-warnings=${this._lint.warnings}
          title=${t('modeller.lintTitle')}
          aria-expanded=${this._issues ? 'true' : 'false'}
          @click=${() => void this._toggleIssues()}
        >
          ${t('modeller.lint')}: ${lintLabel}
        </button>
        ${this._dirty ? html`<span class="badge">${t('modeller.unsaved')}</span>` : nothing}
        ${this._valid ? html`<span class="badge ok" data-valid>${t('modeller.valid')}</span>` : nothing}
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
      ${
        this._issues
          ? lintList({
              modeler: this._modeler,
              issues: this._issues.list,
              gate: this._issues.gate,
              onConfirm: () => void this._deploy(true),
              onClose: () => (this._issues = null),
            })
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
      ${
        this._diff
          ? draftDiff({
              versions,
              from: this._diff.from,
              xml: this._diff.xml,
              impact: this._impact,
              label: (id) =>
                (this._diff?.xml && xmlLabel(this._diff.xml.from, id)) || elementLabel(this._modeler, id),
              onFrom: (v) => void this._compare(v),
              onClose: () => (this._diff = null),
            })
          : nothing
      }
      ${
        key && !this._dirty && session.hasRole('manager', 'staff')
          ? startInstanceForm({ busy: this._busy, onSubmit: (e) => void this._start(e) })
          : nothing
      }
    </div>`;
  }

  private _versionInfo() {
    const v = this._versions.find((x) => x.version === this._loadedVersion);
    if (!v) return nothing;
    return html`<span class="muted small"
      ><rv-date .value=${v.deployedAt}></rv-date>
      <bdi title=${v.deployedBy}
        >${t('modeller.deployedBy', { user: directory.userName(v.deployedBy) })}</bdi
      ></span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-modeller': RvModeller;
  }
}
