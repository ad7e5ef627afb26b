import { BpmnModdle } from 'bpmn-moddle';
import { camundaModdle, camundaProperties, i18nName } from './definition-compiler.js';
import { isExpression, splitList } from '../../schemas/model-values.js';
import type { I18nText, ProcessAttributes } from './types.js';

/** A user task as offered by the model: its static candidates and the FEEL expressions that compute others. */
export interface UserTaskOffer {
  id: string;
  name: I18nText;
  formKey?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  /** `=expression` candidate groups or users, worked out at run time (e.g. `="province-" + province`). */
  dynamic: string[];
}

/** What Ravand reads from a process model besides what the engine runs: attributes, offers, start events. */
export interface ProcessModelInfo {
  key: string;
  name: I18nText;
  attributes: ProcessAttributes;
  userTasks: UserTaskOffer[];
  startEventIds: string[];
  /** Every flow node's name in Dari and English by id (set by the definition compiler; for the audit desk). */
  stepNames?: Record<string, I18nText>;
}

interface El {
  $type: string;
  id?: string;
  [key: string]: unknown;
}

function* walk(el: El): Generator<El> {
  yield el;
  for (const child of (el.flowElements as El[] | undefined) ?? []) yield* walk(child);
}

/** Static and dynamic candidates of a camunda attribute value (`=expr` is one dynamic entry). */
function candidates(value: unknown): { fixed: string[]; dynamic: string[] } {
  if (typeof value !== 'string' || !value.trim()) return { fixed: [], dynamic: [] };
  const v = value.trim();
  if (isExpression(v)) return { fixed: [], dynamic: [v] };
  return { fixed: splitList(v), dynamic: [] };
}

/** The attributes and offers of the executable process of an element tree already parsed by bpmn-moddle. */
export function processModelOf(proc: El): ProcessModelInfo {
  const props = camundaProperties(proc);
  const attributes: ProcessAttributes = {
    starterGroups: splitList(proc.candidateStarterGroups),
    starterUsers: splitList(proc.candidateStarterUsers),
    separateFrom: {},
  };
  if (props['reference-pattern']?.trim()) attributes.referencePattern = props['reference-pattern'].trim();
  if (props['owner-group']?.trim()) attributes.ownerGroup = props['owner-group'].trim();
  const userTasks: UserTaskOffer[] = [];
  const startEventIds: string[] = [];
  for (const el of walk(proc)) {
    if (el === proc) continue;
    // only the process's own start events start it (an event sub-process's are triggered inside it)
    if (el.$type === 'bpmn:StartEvent' && (el.$parent as El | undefined) === proc) {
      startEventIds.push(el.id!);
      if (typeof el.formKey === 'string' && el.formKey && !attributes.startFormKey)
        attributes.startFormKey = el.formKey;
    }
    if (el.$type !== 'bpmn:UserTask') continue;
    const groups = candidates(el.candidateGroups);
    const users = candidates(el.candidateUsers);
    const assignee = candidates(el.assignee);
    const offer: UserTaskOffer = {
      id: el.id!,
      name: i18nName(el as never),
      candidateGroups: groups.fixed,
      candidateUsers: [...users.fixed, ...assignee.fixed],
      dynamic: [...groups.dynamic, ...users.dynamic, ...assignee.dynamic],
    };
    if (typeof el.formKey === 'string' && el.formKey) offer.formKey = el.formKey;
    userTasks.push(offer);
    const separate = splitList(camundaProperties(el)['separate-from']);
    if (separate.length) attributes.separateFrom[el.id!] = separate;
  }
  return { key: proc.id!, name: i18nName(proc as never), attributes, userTasks, startEventIds };
}

/** Parses BPMN XML (already deployed, so valid) and reads its executable process's model info. */
export async function readProcessModel(xml: string): Promise<ProcessModelInfo> {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  const parsed = (await moddle.fromXML(xml.trim(), 'bpmn:Definitions')) as unknown as { rootElement: El };
  const proc = ((parsed.rootElement.rootElements as El[] | undefined) ?? []).find(
    (e) => e.$type === 'bpmn:Process' && e.isExecutable === true,
  );
  if (!proc) throw new Error('no executable process');
  return processModelOf(proc);
}
