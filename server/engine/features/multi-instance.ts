import { iterationIndex } from '../correlation.js';
import { errorText } from '../error-text.js';
import type { ApiView, Live } from '../live.js';
import type { TaskRecord } from '../types.js';
import type { FeatureContext } from './feature-context.js';

/**
 * Multi-instance activities: each user task iteration gets its own attributes (with its element variable),
 * and completing an iteration puts its form data into the output list at the iteration's index
 * (processes/CONVENTIONS.md) instead of the top-level variables.
 */
export class MultiInstance {
  constructor(private readonly ctx: FeatureContext) {
    ctx.hooks.on('engine.created', ({ live, listener }) => {
      if (!ctx.catalogs.of(live.def).multiInstance.size) return;
      // bpmn-elements resolves a task's attributes once for the whole loop and emits no `activity.end` per
      // iteration: resolve them per iteration (with its element variable) and drop a consumed iteration's wait
      listener.on('wait', (api) => {
        const wait = live.waits.get(api.executionId);
        if (!wait || !api.content?.isMultiInstance || api.type !== 'bpmn:UserTask') return;
        try {
          wait.content = { ...wait.content, ravand: this.iterationAttributes(live, api) };
        } catch (err) {
          live.engineError ??= { message: errorText(err), elementId: api.id };
        }
      });
      listener.on('activity.consumed', (api) => {
        if (live.waits.get(api.executionId)?.content.isMultiInstance) live.waits.delete(api.executionId);
      });
    });
    ctx.hooks.on('task.completing', (completing) => {
      if (!completing.handled && this.collect(completing.live, completing.task, completing.data))
        completing.handled = true;
    });
  }

  private iterationAttributes(live: Live, api: ApiView): Record<string, unknown> {
    const owner = api.owner ?? {};
    const loop = owner.behaviour?.loopCharacteristics as
      { behaviour?: { elementVariable?: string } } | undefined;
    const elementVariable = loop?.behaviour?.elementVariable;
    const variables: Record<string, unknown> = { ...(owner.environment?.variables ?? {}) };
    if (typeof api.content.index === 'number') variables.loopCounter = api.content.index;
    if (elementVariable && elementVariable in api.content)
      variables[elementVariable] = api.content[elementVariable];
    return this.ctx.taskAttributes.resolve(live, {
      id: api.id,
      type: api.type,
      behaviour: owner.behaviour ?? {},
      environment: { variables },
    });
  }

  /** Puts an iteration's data into its output list; false when the task is no iteration. */
  private collect(live: Live, task: TaskRecord, data: Record<string, unknown>): boolean {
    const catalog = this.ctx.catalogs.of(live.def);
    const wait = live.waits.get(task.executionId);
    let mi = catalog.multiInstance.get(task.elementId);
    let index: number | undefined;
    if (mi)
      index = typeof wait?.content.index === 'number' ? wait.content.index : iterationIndex(task.executionId);
    else {
      const parent = catalog.parentOf.get(task.elementId);
      mi = parent ? catalog.multiInstance.get(parent) : undefined;
      const parentExec = (wait?.content.parent as { executionId?: string } | undefined)?.executionId;
      if (mi) index = iterationIndex(parentExec);
    }
    if (!mi || index === undefined) return false;
    const current = this.ctx.engines.variables(live)[mi.outputVariable];
    const list: unknown[] = Array.isArray(current) ? [...(current as unknown[])] : [];
    while (list.length <= index) list.push(null);
    const before = list[index];
    list[index] =
      mi.subProcess && before && typeof before === 'object'
        ? { ...(before as object), ...data }
        : { ...data };
    this.ctx.engines.assignVariables(live, { [mi.outputVariable]: list });
    return true;
  }
}
