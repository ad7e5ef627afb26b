import { Group } from '@bpmn-io/properties-panel';
import { i18n, t } from '../../i18n/i18n.js';
import { assignmentEntries } from './assignment-entries.js';
import { deadlineEntries } from './deadline-entries.js';
import { conditionEntries, serviceEntries } from './flow-entries.js';
import { documentationEntry } from './documentation-entry.js';
import { formEntries } from './form-entries.js';
import { fourEyesEntries } from './four-eyes-entries.js';
import { nameEntries } from './general-entries.js';
import { isA, processOf, type DiagramElement } from './model-access.js';
import { officeCatalog } from './office-catalog.js';
import type { PanelEntry } from './panel-kit.js';
import { processEntries } from './process-entries.js';

interface PanelGroup {
  id: string;
  translate?: unknown;
  label: string;
  entries: PanelEntry[];
  component: unknown;
}

/**
 * Groups of the other providers that edit what Ravand executes: standard BPMN (events, multi-instance,
 * documentation) and, of Camunda's, the called process and the extension properties (`correlation-key`,
 * `output-variable`, …). Everything else (history cleanup, job execution, external task, listeners, …) is
 * not run by Ravand and is left out, so it cannot invite settings that do nothing.
 */
const KEPT_GROUPS = new Set([
  'general',
  'documentation',
  'compensation',
  'error',
  'escalation',
  'link',
  'message',
  'signal',
  'timer',
  'multiInstance',
  'CamundaPlatform__CallActivity',
  'CamundaPlatform__ExtensionProperties',
]);

/** Entries of the general group kept from bpmn-js's provider (ids, checked for uniqueness there). */
const KEPT_GENERAL = new Set(['id', 'processId']);

const LOW_PRIORITY = 100;

interface PropertiesPanel {
  registerProvider(priority: number, provider: unknown): void;
}
interface EventBus {
  fire(event: string): void;
}

/**
 * The modeller's properties panel for this office (a bpmn-js-properties-panel provider that runs after the
 * BPMN and Camunda ones): names in English and Dari, starters, reference pattern and owning directorate of the
 * process, candidate groups and people picked from the organisation, the form picked from the deployed forms
 * with a preview, a due-date builder that writes FEEL, priority, the four-eyes rule, FEEL conditions and the
 * Ravand service of a service task. Labels follow the client's language and are re-rendered when it changes.
 */
export class OfficePropertiesProvider {
  static $inject = ['propertiesPanel', 'eventBus', 'translate'];

  constructor(
    propertiesPanel: PropertiesPanel,
    eventBus: EventBus,
    private readonly translate: (template: string, replacements?: Record<string, string>) => string,
  ) {
    propertiesPanel.registerProvider(LOW_PRIORITY, this);
    const refresh = () => eventBus.fire('propertiesPanel.providersChanged');
    i18n.addEventListener('change', refresh);
    officeCatalog.addEventListener('change', refresh);
    (eventBus as unknown as { on(e: string, fn: () => void): void }).on('diagram.destroy', () => {
      i18n.removeEventListener('change', refresh);
      officeCatalog.removeEventListener('change', refresh);
    });
    // again for each modeller: a form designed or deployed since the last one is offered
    void officeCatalog.reload();
  }

  getGroups(element: DiagramElement) {
    return (groups: PanelGroup[]): PanelGroup[] => {
      const kept = groups.filter((g) => KEPT_GROUPS.has(g.id));
      const general = kept.find((g) => g.id === 'general');
      if (general) {
        general.label = t('panel.group.general');
        general.entries = [...general.entries.filter((e) => KEPT_GENERAL.has(e.id)), ...nameEntries(element)];
      }
      const documentation = kept.find((g) => g.id === 'documentation');
      if (documentation)
        documentation.entries = documentation.entries.map((e) =>
          e.id === 'documentation' ? documentationEntry() : e,
        );
      const added = this.officeGroups(element);
      // the office's groups come right after General, before documentation and event details
      const at = general ? kept.indexOf(general) + 1 : 0;
      kept.splice(at, 0, ...added);
      // the panel's own buttons and tooltips (toggle, delete, list counts) are translated only when handed this
      return kept.map((g) => ({ ...g, translate: this.translate }));
    };
  }

  private officeGroups(element: DiagramElement): PanelGroup[] {
    const bo = element.businessObject;
    const group = (id: string, label: string, entries: PanelEntry[]): PanelGroup[] =>
      entries.length ? [{ id, label, entries, component: Group }] : [];
    if (processOf(element)) return group('rv-starters', t('panel.group.starters'), processEntries(element));
    if (isA(bo, 'bpmn:UserTask'))
      return [
        ...group('rv-assignment', t('panel.group.assignment'), assignmentEntries()),
        ...group('rv-form', t('panel.group.form'), formEntries()),
        ...group('rv-deadline', t('panel.group.deadline'), deadlineEntries()),
        ...group('rv-four-eyes', t('panel.group.fourEyes'), fourEyesEntries()),
      ];
    if (isA(bo, 'bpmn:StartEvent') && isA(bo.$parent, 'bpmn:Process'))
      return group('rv-form', t('panel.group.form'), formEntries());
    if (isA(bo, 'bpmn:SequenceFlow'))
      return group('rv-condition', t('panel.group.condition'), conditionEntries(element));
    if (isA(bo, 'bpmn:ServiceTask')) return group('rv-service', t('panel.group.service'), serviceEntries());
    return [];
  }
}
