import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform/index.js';
import { officePanelModule } from './office-panel/index.js';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

/**
 * THE place where the modeller's properties panel is wired: the panel itself, its providers and the moddle
 * extensions they edit. A custom provider (the office's own panel) is added to `propertiesPanelModules` here;
 * nothing else in the modeller knows which providers run.
 */
export const propertiesPanelModules: unknown[] = [
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
  CamundaBehaviorsModule,
  officePanelModule,
];

/** Moddle extensions the panel's providers read and write (`camunda:*` attributes and properties). */
export const propertiesModdleExtensions: Record<string, object> = { camunda: camundaModdle };
