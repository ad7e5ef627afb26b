import ModelerModule from 'bpmn-js/lib/Modeler.js';
import lintModule from 'bpmn-js-bpmnlint';
import { propertiesModdleExtensions, propertiesPanelModules } from '../modeller/properties-panel-modules.js';
import { interopDefault } from './interop.js';
import { lintRuleSet } from '../../../schemas/model-lint/lint-rule-set.js';
import { modellerLintContext } from '../modeller/lint-state.js';
import { dariLabelsModule } from '../modeller/dari-labels.js';
import { clickKeepsSelectionModule } from '../modeller/click-keeps-selection.js';
import { languageLabelsModule } from '../modeller/language-labels.js';
import { languageSearchModule } from '../modeller/language-search.js';
import { touchNavigationModule } from '../modeller/touch-navigation.js';
import { translateModule } from './translate-fa.js';
import '../styles/bpmn-viewer.css';
import '../styles/bpmn-modeller.css';

export const Modeler = interopDefault(ModelerModule);
export type ModelerInstance = InstanceType<typeof Modeler>;

/** A bpmn-js Modeler with the properties panel (modeller/properties-panel-modules.ts), bpmnlint and Dari. */
export function createModeler(canvas: HTMLElement, properties: HTMLElement): ModelerInstance {
  return new Modeler({
    container: canvas,
    propertiesPanel: { parent: properties },
    linting: { bpmnlint: lintRuleSet(modellerLintContext), active: true },
    additionalModules: [
      ...propertiesPanelModules,
      lintModule,
      translateModule,
      dariLabelsModule,
      languageLabelsModule,
      languageSearchModule,
      touchNavigationModule,
      clickKeepsSelectionModule,
    ],
    moddleExtensions: propertiesModdleExtensions,
  });
}

/** A new, empty executable process in Ravand's conventions (readable ids, English name, Dari name-fa). */
export function blankDiagram(key: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="definitions-${key}" targetNamespace="https://ravand.app/processes/${key}">
  <bpmn:process id="${key}" name="New process" isExecutable="true">
    <bpmn:extensionElements>
      <camunda:properties>
        <camunda:property name="name-fa" value="پروسهٔ تازه" />
      </camunda:properties>
    </bpmn:extensionElements>
    <bpmn:startEvent id="start" name="Start" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram-${key}">
    <bpmndi:BPMNPlane id="plane-${key}" bpmnElement="${key}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
