import type { Metrics } from '../../schemas/events.js';

/** The window and process of the dashboard's figures (ISO times; default: the last 30 days). */
export interface MetricsQuery {
  from?: string;
  to?: string;
  key?: string;
}

/** Dashboard figures (implemented by `server/persistence/metrics-service.ts` over the read model). */
export interface MetricsPort {
  compute(query?: MetricsQuery, now?: Date): Promise<Metrics>;
}
