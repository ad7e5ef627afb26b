import type {
  AuditVerification,
  BulkInstanceResult,
  CommentView,
  StartableProcess,
  StartResult,
} from '../../../schemas/records.js';
import { api } from './api.js';
import type { AuditEntryView, InstanceSummary, Page } from './types.js';

export type {
  AuditVerification,
  CommentView,
  InstanceLink,
  StartableProcess,
} from '../../../schemas/records.js';
/** One row of a bulk instance action. */
export type InstanceBulkResult = BulkInstanceResult['results'][number];

type Query = Record<string, string | number | boolean | undefined | null>;

/** The routes of the role views (start page, instance search, auditor's desk, instance comments). */
export const workApi = {
  startable() {
    return api.request<{ items: StartableProcess[] }>('GET', '/api/startable').then((r) => r.items);
  },
  start(body: { key: string; version?: number; businessKey?: string; variables: Record<string, unknown> }) {
    return api.request<StartResult>('POST', '/api/instances', { body });
  },
  searchInstances(query: Query) {
    return api.request<Page<InstanceSummary>>('GET', '/api/instances', { query });
  },
  bulkInstances(
    action: 'cancel' | 'suspend' | 'resume' | 'retry' | 'migrate',
    ids: string[],
    extra: { reason?: string; toVersion?: number } = {},
  ) {
    return api.request<BulkInstanceResult>('POST', `/api/instances/bulk/${action}`, {
      body: { instanceIds: ids, ...extra },
    });
  },
  instanceComments(instanceId: string) {
    return api
      .request<{ items: CommentView[] }>('GET', `/api/instances/${encodeURIComponent(instanceId)}/comments`)
      .then((r) => r.items);
  },
  addInstanceComment(instanceId: string, text: string, taskId?: string) {
    return api.request<CommentView>('POST', `/api/instances/${encodeURIComponent(instanceId)}/comments`, {
      body: taskId ? { text, taskId } : { text },
    });
  },
  auditSearch(query: Query) {
    return api.request<Page<AuditEntryView>>('GET', '/api/audit', { query });
  },
  auditCsvUrl(query: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return `/api/audit/export.csv${qs ? `?${qs}` : ''}`;
  },
  verifyStatus() {
    return api.request<AuditVerification>('GET', '/api/audit/verify');
  },
  /** Starts a full re-verification in the background; poll `verifyStatus` for its progress. */
  startVerification() {
    return api.request<AuditVerification>('POST', '/api/audit/verify', { body: {} });
  },
};
