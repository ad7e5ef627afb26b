// Packages without their own type declarations, typed as far as the client uses them.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export const BpmnPropertiesProviderModule: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export const CamundaPlatformPropertiesProviderModule: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform/index.js' {
  const module: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export default module;
}
declare module 'bpmn-js-bpmnlint' {
  const module: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export default module;
}
declare module 'bpmn-js-differ' {
  export interface ModdleElement {
    $type: string;
    id: string;
    name?: string;
    extensionElements?: {
      values?: Array<{ $type: string; values?: Array<{ name?: string; value?: string }> }>;
    };
  }
  export interface DiffResult {
    _changed: Record<string, { model: ModdleElement; attrs: Record<string, unknown> }>;
    _added: Record<string, ModdleElement>;
    _removed: Record<string, ModdleElement>;
    _layoutChanged: Record<string, ModdleElement>;
  }
  export function diff(a: unknown, b: unknown): DiffResult;
}
