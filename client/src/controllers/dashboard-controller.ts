import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { api, ApiError } from '../services/api.js';
import { live } from '../services/socket.js';
import type { DefinitionSummary, Group, InstanceSummary, Metrics } from '../services/types.js';

/** One process's live counters. */
export interface ProcessCounters {
  key: string;
  definition?: DefinitionSummary;
  running: number;
  waiting: number;
  completedToday: number;
  incidents: number;
  averageHours: number | null;
}

export interface AtiStatus {
  atRisk: InstanceSummary[];
  breached: InstanceSummary[];
}

const ATI_KEY = 'access-to-information';
/** An access-to-information request is "at risk" this close to its statutory deadline. */
const AT_RISK_MS = 2 * 86_400_000;

/**
 * The dashboards' data: GET /api/metrics (30 days) and the same for today (completed today), the
 * access-to-information requests near or past their deadline, definitions and group names; kept current by
 * `metrics:updated` (the whole figures are pushed) and `instance:updated`.
 */
export class DashboardController implements ReactiveController {
  metrics: Metrics | null = null;
  today: Metrics | null = null;
  definitions: DefinitionSummary[] = [];
  groups = new Map<string, Group>();
  ati: AtiStatus = { atRisk: [], breached: [] };
  error: ApiError | null = null;
  updatedAt: Date | null = null;
  private offs: Array<() => void> = [];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.offs = [
      live.on('metrics:updated', (e) => {
        this.metrics = e.metrics;
        this.updatedAt = new Date();
        this.host.requestUpdate();
        this.refreshSoon();
      }),
      live.on('instance:updated', (e) => {
        if (e.change === 'started' && !this.definitions.some((d) => d.key === e.instance.key))
          void this.loadDefinitions();
      }),
    ];
    const onReset = () => void this.load();
    live.addEventListener('reset', onReset);
    this.offs.push(() => live.removeEventListener('reset', onReset));
    void this.load();
  }

  hostDisconnected(): void {
    for (const off of this.offs) off();
    this.offs = [];
    clearTimeout(this.pending);
  }

  async load(): Promise<void> {
    try {
      const [metrics, groups] = await Promise.all([api.metrics(), api.groups().catch(() => [] as Group[])]);
      this.metrics = metrics;
      this.groups = new Map(groups.map((g) => [g.id, g]));
      this.updatedAt = new Date();
      this.error = null;
      await Promise.all([this.loadDefinitions(), this.loadToday(), this.loadAti()]);
    } catch (err) {
      this.error = err instanceof ApiError ? err : null;
    }
    this.host.requestUpdate();
  }

  private async loadDefinitions(): Promise<void> {
    this.definitions = await api.definitions().catch(() => this.definitions);
    this.host.requestUpdate();
  }

  // today's completions and the deadline list are not in the pushed figures: refetch them, coalesced
  private refreshSoon(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      void Promise.all([this.loadToday(), this.loadAti()]).then(() => this.host.requestUpdate());
    }, 250);
  }

  private async loadToday(): Promise<void> {
    const from = startOfKabulDay(Date.now());
    this.today = await api
      .request<Metrics>('GET', '/api/metrics', { query: { from } })
      .catch(() => this.today);
  }

  private async loadAti(): Promise<void> {
    try {
      const page = await api.instances({ key: ATI_KEY, status: 'running', limit: 200 });
      const now = Date.now();
      const atRisk: InstanceSummary[] = [];
      const breached: InstanceSummary[] = [];
      for (const instance of page.items) {
        const due = Date.parse(String(instance.variables.responseDueAt ?? ''));
        if (Number.isNaN(due)) continue;
        if (due < now) breached.push(instance);
        else if (due - now < AT_RISK_MS) atRisk.push(instance);
      }
      this.ati = { atRisk, breached };
    } catch {
      // the process may not be deployed
    }
  }

  /** Counters per process, every deployed process listed even with nothing running. */
  get counters(): ProcessCounters[] {
    const m = this.metrics;
    const keys = new Set([...this.definitions.map((d) => d.key), ...(m?.instances ?? []).map((r) => r.key)]);
    return [...keys].sort().map((key) => {
      const count = (status: string) =>
        (m?.instances ?? [])
          .filter((r) => r.key === key && r.status === status)
          .reduce((s, r) => s + r.count, 0);
      const cycle = m?.cycleTime.find((c) => c.key === key);
      return {
        key,
        definition: this.definitions.find((d) => d.key === key),
        running: count('running') + count('suspended'),
        waiting: (m?.waitingTokens ?? []).filter((w) => w.key === key).reduce((s, w) => s + w.count, 0),
        completedToday: this.today?.cycleTime.find((c) => c.key === key)?.completed ?? 0,
        incidents: count('failed'),
        averageHours: cycle && cycle.completed ? cycle.averageMs / 3_600_000 : null,
      };
    });
  }

  /** Waiting tokens per element of one process (all versions together). */
  tokensOf(key: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of this.metrics?.waitingTokens ?? [])
      if (w.key === key) out[w.elementId] = (out[w.elementId] ?? 0) + w.count;
    return out;
  }
}

function startOfKabulDay(now: number): string {
  const offset = 4.5 * 3600_000;
  const day = Math.floor((now + offset) / 86_400_000);
  return new Date(day * 86_400_000 - offset).toISOString();
}
