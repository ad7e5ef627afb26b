import type { I18nText } from '../i18n/i18n.js';
import { startEarly, takeEarlyResponse } from './early-requests.js';
import type {
  AuditEvent,
  BulkResult,
  DefinitionSummary,
  ElementInfo,
  Group,
  InstanceDetail,
  InstanceSummary,
  LoggedEvent,
  Me,
  Metrics,
  Page,
  TaskComment,
  TaskHistoryRecord,
  TaskRecord,
} from './types.js';
import type { DocumentRecord } from '../../../schemas/documents.js';

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

/** A multipart body: the file under `file`, then the text fields that are set. */
function formOf(file: File, fields: Record<string, string | undefined>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.set(k, v);
  form.set('file', file, file.name);
  return form;
}

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

/** A BPMN request body: the XML as it is, or JSON `{ xml, forms }` when forms go with it. */
function bpmnBody(xml: string, forms: Record<string, object>) {
  return Object.keys(forms).length ? { body: { xml, forms } } : { raw: xml, contentType: 'application/xml' };
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
      const url = withQuery(path, options.query);
      res = await ((method === 'GET' ? takeEarlyResponse(url) : undefined) ??
        fetch(url, {
          method,
          headers,
          body,
          credentials: 'same-origin',
        }));
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
    return this.request<void>('POST', '/api/auth/logout', { body: {} });
  }
  me() {
    return this.request<Me>('GET', '/api/me');
  }
  setLanguage(language: 'fa' | 'en') {
    return this.request<Me>('PATCH', '/api/me', { body: { language } });
  }
  groups() {
    return this.request<{ items: Group[] }>('GET', '/api/groups').then((r) => r.items);
  }

  // definitions
  definitions() {
    return this.request<{ items: DefinitionSummary[] }>('GET', '/api/definitions').then((r) => r.items);
  }
  versions(key: string) {
    return this.request<{ items: DefinitionSummary[] }>(
      'GET',
      `/api/definitions/${encodeURIComponent(key)}/versions`,
    ).then((r) => r.items);
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
  /** `forms`: forms to deploy with it (form key → JSON Schema), e.g. the designer's drafts the diagram uses. */
  deploy(xml: string, forms: Record<string, object> = {}) {
    return this.request<{ definition: DefinitionSummary; created: boolean }>(
      'POST',
      '/api/definitions',
      bpmnBody(xml, forms),
    );
  }
  validate(xml: string, forms: Record<string, object> = {}) {
    return this.request<{ key: string; elements: ElementInfo[] }>(
      'POST',
      '/api/definitions/validate',
      bpmnBody(xml, forms),
    );
  }

  // instances
  startInstance(body: {
    key: string;
    version?: number;
    businessKey?: string;
    variables?: Record<string, unknown>;
  }) {
    return this.request<InstanceSummary>('POST', '/api/instances', { body: { variables: {}, ...body } });
  }
  instances(query: Query) {
    return this.request<Page<InstanceSummary>>('GET', '/api/instances', { query });
  }
  instance(id: string) {
    return this.request<InstanceDetail>('GET', `/api/instances/${encodeURIComponent(id)}`);
  }
  audit(id: string) {
    return this.request<{ items: AuditEvent[] }>(
      'GET',
      `/api/instances/${encodeURIComponent(id)}/audit`,
    ).then((r) => r.items);
  }
  instanceCommand(id: string, action: 'suspend' | 'resume' | 'retry') {
    return this.request<InstanceSummary>('POST', `/api/instances/${encodeURIComponent(id)}/${action}`, {
      body: {},
    });
  }
  cancelInstance(id: string, reason: string) {
    return this.request<InstanceSummary>('POST', `/api/instances/${encodeURIComponent(id)}/cancel`, {
      body: { reason },
    });
  }

  // tasks
  tasks(query: Query) {
    return this.request<Page<TaskRecord>>('GET', '/api/tasks', { query });
  }
  /** Sends `tasks(query)` now; the call of `tasks` with the same query takes its answer (early-requests.ts). */
  tasksEarly(query: Query): void {
    startEarly(withQuery('/api/tasks', query));
  }
  task(id: string) {
    return this.request<TaskRecord>('GET', `/api/tasks/${encodeURIComponent(id)}`);
  }
  taskCommand(id: string, action: 'claim' | 'unclaim') {
    return this.request<TaskRecord>('POST', `/api/tasks/${encodeURIComponent(id)}/${action}`, { body: {} });
  }
  complete(id: string, data: Record<string, unknown>) {
    return this.request<TaskHistoryRecord>('POST', `/api/tasks/${encodeURIComponent(id)}/complete`, {
      body: { data },
    });
  }
  // documents (attachments with versions, official letters)
  documents(instanceId: string) {
    return this.request<{ items: DocumentRecord[] }>(
      'GET',
      `/api/instances/${encodeURIComponent(instanceId)}/documents`,
    ).then((r) => r.items);
  }
  uploadDocument(instanceId: string, file: File, fields: { reason?: string; taskId?: string } = {}) {
    return this.request<DocumentRecord>(
      'POST',
      `/api/instances/${encodeURIComponent(instanceId)}/documents`,
      {
        raw: formOf(file, fields),
      },
    );
  }
  addDocumentVersion(documentId: string, file: File, fields: { reason?: string; taskId?: string } = {}) {
    return this.request<DocumentRecord>('POST', `/api/documents/${encodeURIComponent(documentId)}/versions`, {
      raw: formOf(file, fields),
    });
  }
  regenerateLetter(documentId: string, reason?: string) {
    return this.request<DocumentRecord>(
      'POST',
      `/api/documents/${encodeURIComponent(documentId)}/regenerate`,
      {
        body: reason ? { reason } : {},
      },
    );
  }
  /** Where a version's bytes are: `inline` shows a PDF or image in the page, otherwise it downloads. */
  documentUrl(documentId: string, version: number, inline = false) {
    return `/api/documents/${encodeURIComponent(documentId)}/versions/${version}/content${inline ? '?inline=true' : ''}`;
  }

  comments(taskId: string) {
    return this.request<{ items: TaskComment[] }>(
      'GET',
      `/api/tasks/${encodeURIComponent(taskId)}/comments`,
    ).then((r) => r.items);
  }
  addComment(taskId: string, text: string) {
    return this.request<TaskComment>('POST', `/api/tasks/${encodeURIComponent(taskId)}/comments`, {
      body: { text },
    });
  }
  bulkClaim(taskIds: string[]) {
    return this.request<BulkResult>('POST', '/api/tasks/bulk/claim', { body: { taskIds } });
  }
  bulkComplete(items: Array<{ taskId: string; data: Record<string, unknown> }>) {
    return this.request<BulkResult>('POST', '/api/tasks/bulk/complete', { body: { items } });
  }

  // dashboards and live catch-up
  metrics() {
    return this.request<Metrics>('GET', '/api/metrics');
  }
  events(after: number) {
    return this.request<{ items: LoggedEvent[]; lastSeq: number; reset: boolean }>('GET', '/api/events', {
      query: { after },
    });
  }
}

/** The single client for the app. */
export const api = new Api();
