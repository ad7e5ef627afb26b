import type { I18nText } from '../i18n/i18n.js';
import type { FormSchema } from '../forms/form-schema.js';
import type {
  BulkResult,
  DefinitionSummary,
  InstanceDetail,
  InstanceSummary,
  Me,
  Page,
  TaskRecord,
} from './types.js';

/** An error answered by the server (`{ code, message: { fa, en }, details }`) or a network failure. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: I18nText,
    readonly details?: unknown,
  ) {
    super(`${code}: ${text.en}`);
  }
}

const OFFLINE: I18nText = {
  fa: 'سرور در دسترس نیست. اتصال را بررسی کرده دوباره کوشش کنید.',
  en: 'The server cannot be reached. Check the connection and try again.',
};

function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)rv_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * The REST client: same-origin fetch with the session cookie, the CSRF header on writes, and errors turned
 * into ApiError. A 401 dispatches `unauthenticated` so the shell can show the sign-in page.
 * @fires unauthenticated
 */
export class Api extends EventTarget {
  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Query; raw?: BodyInit; contentType?: string; text?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: BodyInit | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      if (options.contentType) headers['content-type'] = options.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    if (method !== 'GET' && method !== 'HEAD') {
      const token = csrfToken();
      if (token) headers['x-csrf-token'] = token;
    }
    let res: Response;
    try {
      res = await fetch(withQuery(path, options.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'RV_ERR_OFFLINE', OFFLINE);
    }
    if (res.status === 401 && !path.startsWith('/api/auth/login'))
      this.dispatchEvent(new Event('unauthenticated'));
    if (!res.ok) {
      let payload: { code?: string; message?: I18nText; details?: unknown } = {};
      try {
        payload = (await res.json()) as typeof payload;
      } catch {
        // a proxy or crash page: keep the generic message
      }
      throw new ApiError(
        res.status,
        payload.code ?? 'RV_ERR_INTERNAL',
        payload.message && typeof payload.message === 'object'
          ? payload.message
          : { fa: `خطای سرور (${res.status})`, en: `Server error (${res.status})` },
        payload.details,
      );
    }
    if (res.status === 204) return undefined as T;
    if (options.text) return (await res.text()) as T;
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  // auth and profile
  login(username: string, password: string) {
    return this.request<{ user: Me }>('POST', '/api/auth/login', { body: { username, password } });
  }
  logout() {
    return this.request<void>('POST', '/api/auth/logout');
  }
  me() {
    return this.request<Me>('GET', '/api/me');
  }
  setLanguage(language: 'fa' | 'en') {
    return this.request<Me>('PATCH', '/api/me', { body: { language } });
  }

  // definitions
  definitions() {
    return this.request<DefinitionSummary[] | Page<DefinitionSummary>>('GET', '/api/definitions').then(items);
  }
  versions(key: string) {
    return this.request<DefinitionSummary[] | Page<DefinitionSummary>>(
      'GET',
      `/api/definitions/${encodeURIComponent(key)}/versions`,
    ).then(items);
  }
  definitionXml(key: string, version: number) {
    return this.request<string>(
      'GET',
      `/api/definitions/${encodeURIComponent(key)}/versions/${version}/xml`,
      {
        text: true,
      },
    );
  }
  deploy(xml: string) {
    return this.request<{ definition: DefinitionSummary; created: boolean }>('POST', '/api/definitions', {
      raw: xml,
      contentType: 'application/xml',
    });
  }
  validate(xml: string) {
    return this.request<unknown>('POST', '/api/definitions/validate', {
      raw: xml,
      contentType: 'application/xml',
    });
  }

  // instances
  startInstance(body: {
    key: string;
    version?: number;
    businessKey?: string;
    variables?: Record<string, unknown>;
  }) {
    return this.request<InstanceSummary | { instance: InstanceSummary }>('POST', '/api/instances', {
      body: { variables: {}, ...body },
    }).then((r) => ('instance' in r && r.instance ? r.instance : (r as InstanceSummary)));
  }
  instances(query: Query) {
    return this.request<Page<InstanceSummary>>('GET', '/api/instances', { query });
  }
  instance(id: string) {
    return this.request<InstanceDetail | { instance: InstanceDetail }>(
      'GET',
      `/api/instances/${encodeURIComponent(id)}`,
    ).then((r) => unwrapInstance(r));
  }
  instanceCommand(id: string, action: 'cancel' | 'suspend' | 'resume' | 'retry', body: unknown = {}) {
    return this.request<InstanceSummary>('POST', `/api/instances/${encodeURIComponent(id)}/${action}`, {
      body,
    });
  }

  // tasks
  tasks(query: Query) {
    return this.request<Page<TaskRecord>>('GET', '/api/tasks', { query });
  }
  task(id: string) {
    return this.request<TaskDetail>('GET', `/api/tasks/${encodeURIComponent(id)}`).then(unwrapTask);
  }
  taskCommand(id: string, action: 'claim' | 'unclaim', body: unknown = {}) {
    return this.request<TaskRecord>('POST', `/api/tasks/${encodeURIComponent(id)}/${action}`, { body });
  }
  complete(id: string, data: Record<string, unknown>) {
    return this.request<unknown>('POST', `/api/tasks/${encodeURIComponent(id)}/complete`, { body: { data } });
  }
  bulk(action: 'claim' | 'complete' | 'assign', ids: string[], data?: Record<string, unknown>) {
    return this.request<{ results: BulkResult[] } | BulkResult[]>('POST', '/api/tasks/bulk', {
      body: data ? { action, ids, data } : { action, ids },
    }).then((r) => (Array.isArray(r) ? r : r.results));
  }
  form(formKey: string) {
    return this.request<FormSchema>('GET', `/api/forms/${encodeURIComponent(formKey)}`);
  }

  // dashboards and live catch-up
  metrics() {
    return this.request<Metrics>('GET', '/api/metrics');
  }
  events(after: number) {
    return this.request<{ events: LiveEnvelope[] } | LiveEnvelope[]>('GET', '/api/events', {
      query: { after },
    }).then((r) => (Array.isArray(r) ? r : r.events));
  }
}

function items<T>(r: T[] | Page<T>): T[] {
  return Array.isArray(r) ? r : r.items;
}

function unwrapInstance(r: InstanceDetail | { instance: InstanceDetail }): InstanceDetail {
  if ('instance' in r && r.instance && typeof r.instance === 'object') {
    const { instance, ...rest } = r as { instance: InstanceDetail } & Record<string, unknown>;
    return { ...instance, ...rest } as InstanceDetail;
  }
  return r as InstanceDetail;
}

/** GET /api/tasks/:id: the task plus its form (either nested or flat). */
export interface TaskDetail {
  task: TaskRecord;
  form?: FormSchema | null;
}

function unwrapTask(r: TaskDetail | (TaskRecord & { form?: FormSchema; schema?: FormSchema })): TaskDetail {
  if ('task' in r && r.task)
    return { task: r.task, form: r.form ?? (r as { schema?: FormSchema }).schema ?? null };
  const { form, schema, ...task } = r as TaskRecord & { form?: FormSchema; schema?: FormSchema };
  return { task: task as TaskRecord, form: form ?? schema ?? null };
}

/** One event as replayed by GET /api/events. */
export interface LiveEnvelope {
  seq: number;
  type?: string;
  event?: string;
  name?: string;
  payload?: unknown;
  data?: unknown;
}

/** GET /api/metrics, read defensively: every part is optional. */
export interface Metrics {
  processes?: ProcessMetrics[];
  instances?: Array<{ key: string; status: string; count: number }>;
  overdueByGroup?: Array<{ group: string; name?: I18nText; count: number }>;
  overdueByProvince?: Array<{ group: string; name?: I18nText; count: number }>;
  openByGroup?: Array<{ group: string; name?: I18nText; count: number; overdue?: number }>;
  ati?: {
    atRisk: number;
    breached: number;
    items?: Array<{ instanceId: string; businessKey?: string; dueAt: string; state: string }>;
  };
  sla?: { atRisk?: number; breached?: number };
  cycleTimes?: Array<{
    key: string;
    name?: I18nText;
    averageHours?: number;
    averageMs?: number;
    count?: number;
  }>;
  waitingTokens?: Array<{ key: string; version?: number; elementId: string; count: number }>;
  seq?: number;
  at?: string;
}

export interface ProcessMetrics {
  key: string;
  name?: I18nText;
  running: number;
  waiting: number;
  completedToday: number;
  incidents: number;
}

/** The single client for the app. */
export const api = new Api();
