import { BpmnModdle } from 'bpmn-moddle';
import { AppError } from '../app-error.js';
import { camundaModdle } from './definition-compiler.js';

interface Element {
  $type: string;
  id?: string;
  isExecutable?: boolean;
  flowElements?: Element[];
  rootElements?: Element[];
}

/**
 * The process key and every flow element id of a draft model (not deployed, maybe not deployable yet): what the
 * migration impact of a draft is computed from. RV_ERR_BPMN_PARSE / RV_ERR_BPMN_NO_EXECUTABLE_PROCESS otherwise.
 */
export async function draftModel(xml: string): Promise<{ key: string; elementIds: Set<string> }> {
  let root: Element;
  try {
    root = (
      (await new BpmnModdle({ camunda: camundaModdle }).fromXML(String(xml ?? '').trim())) as {
        rootElement: Element;
      }
    ).rootElement;
  } catch (err) {
    throw new AppError('RV_ERR_BPMN_PARSE', {
      message: String((err as Error).message ?? err).split('\n')[0],
    });
  }
  const proc = (root.rootElements ?? []).find((e) => e.$type === 'bpmn:Process' && e.isExecutable === true);
  if (!proc?.id) throw new AppError('RV_ERR_BPMN_NO_EXECUTABLE_PROCESS');
  const elementIds = new Set<string>();
  const walk = (el: Element, depth: number) => {
    if (depth > 50) return;
    for (const child of el.flowElements ?? []) {
      if (child.id) elementIds.add(child.id);
      walk(child, depth + 1);
    }
  };
  walk(proc, 0);
  return { key: proc.id, elementIds };
}
