import type { WorkflowRuntime } from '../engine/types.js';
import type { GroupsPort } from '../ports/groups-port.js';
import type { MetricsPort, MetricsQuery } from '../ports/metrics-port.js';
import type { ReadModel } from '../engine/projections/read-model.js';
import type { GroupInfo } from '../engine/projections/leadership-figures.js';
import type { Metrics } from '../../schemas/events.js';

const DAY = 86_400_000;

export type { MetricsQuery } from '../ports/metrics-port.js';

/**
 * Dashboard figures, live, from the read model the server keeps (every instance, every ended task's facts,
 * the open tasks' mirror): nothing here reads history, so the answer costs the same at ten years as at one.
 */
export class MetricsService implements MetricsPort {
  constructor(
    private readonly groups: GroupsPort,
    private readonly runtime: () => WorkflowRuntime,
    private readonly readModel: () => ReadModel,
  ) {}

  async compute(query: MetricsQuery = {}, now = new Date()): Promise<Metrics> {
    const to = query.to ?? now.toISOString();
    const from = query.from ?? new Date(new Date(to).getTime() - 30 * DAY).toISOString();
    // the figures include the records of the last commands (task facts follow their checkpoints)
    await this.runtime().settled();
    const groups = await this.groupInfo();
    return this.readModel().figures({
      group: (id) => groups.get(id),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      key: query.key,
      now,
    });
  }

  /** Kind and province of every group (a small collection, read whole). */
  private async groupInfo(): Promise<Map<string, GroupInfo>> {
    const map = new Map<string, GroupInfo>();
    for (const g of await this.groups.list())
      map.set(g.id, { kind: g.kind, ...(g.province ? { province: g.province } : {}) });
    return map;
  }
}
