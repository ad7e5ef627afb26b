/**
 * Reading and writing what Ravand executes on a BPMN element (processes/CONVENTIONS.md): camunda attributes,
 * `camunda:property` extension properties (`name-fa`, `separate-from`, `reference-pattern`, `owner-group`), and
 * comma-separated lists. Writes are command lists for the panel's multi-command, so one edit is one undo step.
 */

// the server reads these values with the same functions (schemas/model-values.ts)
export { isExpression, splitList } from '../../../../schemas/model-values.js';

/** A bpmn-moddle element as the panel sees it. */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  id?: string;
  name?: string;
  get(name: string): unknown;
  [key: string]: unknown;
}

/** A diagram-js shape or connection. */
export interface DiagramElement {
  id: string;
  type: string;
  businessObject: ModdleElement;
}

export interface Command {
  cmd: string;
  context: Record<string, unknown>;
}

export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}

/** True when the moddle element is of the type (or a subtype), like bpmn-js's `is`. */
export function isA(bo: ModdleElement | undefined, type: string): boolean {
  const typed = bo as unknown as { $instanceOf?(t: string): boolean } | undefined;
  return !!typed?.$instanceOf?.(type);
}

/** The process an element stands for: the process itself, or a participant's process. */
export function processOf(element: DiagramElement): ModdleElement | undefined {
  const bo = element.businessObject;
  if (isA(bo, 'bpmn:Process')) return bo;
  if (isA(bo, 'bpmn:Participant')) return bo.get('processRef') as ModdleElement | undefined;
  return undefined;
}

function propertiesOf(bo: ModdleElement): ModdleElement | undefined {
  const ext = bo.get('extensionElements') as ModdleElement | undefined;
  const values = (ext?.get('values') as ModdleElement[] | undefined) ?? [];
  return values.find((v) => isA(v, 'camunda:Properties'));
}

/** The value of `<camunda:property name="…">` on the element, or undefined. */
export function camundaProperty(bo: ModdleElement, name: string): string | undefined {
  const props = propertiesOf(bo);
  const list = (props?.get('values') as ModdleElement[] | undefined) ?? [];
  const value = list.find((p) => p.get('name') === name)?.get('value');
  return typeof value === 'string' ? value : undefined;
}

/** Commands that set (or, when empty, remove) `<camunda:property name="…">` on `bo`, creating containers as needed. */
export function setCamundaPropertyCommands(
  element: DiagramElement,
  bo: ModdleElement,
  name: string,
  value: string | undefined,
  factory: BpmnFactory,
): Command[] {
  const commands: Command[] = [];
  const update = (moddleElement: ModdleElement, properties: Record<string, unknown>) =>
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } });
  const clean = value?.trim() ?? '';
  let props = propertiesOf(bo);
  const existing = ((props?.get('values') as ModdleElement[] | undefined) ?? []).find(
    (p) => p.get('name') === name,
  );
  if (!clean) {
    if (existing && props)
      update(props, { values: (props.get('values') as ModdleElement[]).filter((p) => p !== existing) });
    return commands;
  }
  if (existing) {
    update(existing, { value: clean });
    return commands;
  }
  let ext = bo.get('extensionElements') as ModdleElement | undefined;
  if (!ext) {
    ext = factory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    update(bo, { extensionElements: ext });
  }
  if (!props) {
    props = factory.create('camunda:Properties', { values: [] });
    props.$parent = ext;
    update(ext, { values: [...((ext.get('values') as ModdleElement[] | undefined) ?? []), props] });
  }
  const prop = factory.create('camunda:Property', { name, value: clean });
  prop.$parent = props;
  update(props, { values: [...((props.get('values') as ModdleElement[] | undefined) ?? []), prop] });
  return commands;
}

/** The command that sets plain attributes (`camunda:candidateGroups`, `name`, …) on a moddle element. */
export function setAttributesCommand(
  element: DiagramElement,
  bo: ModdleElement,
  properties: Record<string, unknown>,
): Command {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement: bo, properties } };
}

/** The start events and user tasks that can come before `bo` (walking incoming flows backwards). */
export function earlierSteps(bo: ModdleElement): ModdleElement[] {
  const found = new Map<string, ModdleElement>();
  const seen = new Set<ModdleElement>();
  const queue: ModdleElement[] = [bo];
  const visitInside = (container: ModdleElement) => {
    for (const child of (container.get('flowElements') as ModdleElement[] | undefined) ?? []) {
      if (isA(child, 'bpmn:UserTask')) found.set(child.id!, child);
      if (isA(child, 'bpmn:SubProcess')) visitInside(child);
    }
  };
  while (queue.length) {
    const node = queue.shift()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node !== bo) {
      if (isA(node, 'bpmn:UserTask')) found.set(node.id!, node);
      if (isA(node, 'bpmn:StartEvent') && isA(node.$parent, 'bpmn:Process')) found.set(node.id!, node);
      if (isA(node, 'bpmn:SubProcess')) visitInside(node);
    }
    // a start event inside a sub-process continues before the sub-process
    if (isA(node, 'bpmn:StartEvent') && isA(node.$parent, 'bpmn:SubProcess')) queue.push(node.$parent!);
    const attached = node.get('attachedToRef') as ModdleElement | undefined;
    if (isA(node, 'bpmn:BoundaryEvent') && attached) queue.push(attached);
    for (const flow of (node.get('incoming') as ModdleElement[] | undefined) ?? []) {
      const source = flow.get('sourceRef') as ModdleElement | undefined;
      if (source) queue.push(source);
    }
  }
  return [...found.values()];
}

/** The form keys used in the element's process (start events and user tasks). */
export function formKeysOfProcess(bo: ModdleElement): string[] {
  let proc: ModdleElement | undefined = bo;
  while (proc && !isA(proc, 'bpmn:Process')) proc = proc.$parent;
  const keys = new Set<string>();
  const walk = (container: ModdleElement) => {
    for (const child of (container.get('flowElements') as ModdleElement[] | undefined) ?? []) {
      const key = child.get('formKey');
      if (typeof key === 'string' && key) keys.add(key);
      if (isA(child, 'bpmn:SubProcess')) walk(child);
    }
  };
  if (proc) walk(proc);
  return [...keys];
}
