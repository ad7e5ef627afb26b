import type { Response } from 'express';
import { AppError } from '../app-error.js';
import type { IncomingFile } from '../documents/document-service.js';
import { INLINE_TYPES } from '../documents/file-check.js';
import type { Actor } from '../engine/types.js';
import type { DocumentRecord, DocumentVersion } from '../../schemas/documents.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';
import { assertMayWork, readableInstance } from '../policy/visibility.js';
import { openTaskFor } from './open-task.js';

type Upload = {
  file: IncomingFile | undefined;
  fields: { reason?: string; taskId?: string; title?: string };
};

/** `filename*` per RFC 6266/8187, with an ASCII `filename` for old clients. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Sends a version's bytes: never as active content, inline only for PDF and images when asked. */
function sendVersion(res: Response, version: DocumentVersion, data: Buffer, inline: boolean): void {
  const showInline = inline && INLINE_TYPES.includes(version.type);
  res.status(200);
  res.setHeader('Content-Type', showInline ? version.mime : 'application/octet-stream');
  res.setHeader('Content-Length', String(data.length));
  res.setHeader(
    'Content-Disposition',
    contentDisposition(showInline ? 'inline' : 'attachment', version.name),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // no script, no plugin, no form, no outside request whatever the file holds; framed only by Ravand itself
  res.setHeader(
    'Content-Security-Policy',
    showInline
      ? "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
      : "default-src 'none'; sandbox; frame-ancestors 'none'",
  );
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('X-Document-Sha256', version.sha256);
  res.end(data);
}

/** Attachments: list, upload, new version, download, letter regeneration. */
export function documentHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const rt = () => deps.runtime();

  /** Documents are read and written exactly as their instance is. */
  async function readableDocument(id: string, actor: Actor): Promise<DocumentRecord> {
    const record = await deps.documents.get(id);
    await readableInstance(rt(), record.instanceId, actor);
    return record;
  }

  /** A task named on an upload must be an open task of that instance, offered to the uploader. */
  async function checkTask(taskId: string | undefined, instanceId: string, actor: Actor): Promise<void> {
    if (!taskId) return;
    // 404 unknown, 409 ended, 403 not visible, then 403 not offered / 409 held by someone else
    const task = await openTaskFor(rt(), taskId, actor);
    if (task.instanceId !== instanceId) throw new AppError('RV_ERR_DOCUMENT_NOT_IN_INSTANCE', { taskId });
    assertMayWork(task, actor);
  }

  const fileOf = (body: Upload): IncomingFile => {
    if (!body.file) throw new AppError('RV_ERR_DOCUMENT_MISSING');
    return body.file;
  };

  return {
    listDocuments: signedIn('listDocuments', async ({ params: { id }, actor }) => {
      await readableInstance(rt(), id, actor);
      return { items: await deps.documents.forInstance(id) };
    }),
    uploadDocument: signedIn('uploadDocument', async ({ params: { id }, body: upload, actor }) => {
      await readableInstance(rt(), id, actor);
      const file = fileOf(upload);
      deps.documents.check(file);
      await checkTask(upload.fields.taskId, id, actor);
      const title = upload.fields.title?.trim();
      return deps.documents.create(id, {
        file,
        by: actor.id,
        ...(upload.fields.reason ? { reason: upload.fields.reason } : {}),
        ...(upload.fields.taskId ? { taskId: upload.fields.taskId } : {}),
        ...(title ? { title: { fa: title, en: title } } : {}),
      });
    }),
    getDocument: signedIn('getDocument', async ({ params: { id }, actor }) => readableDocument(id, actor)),
    addDocumentVersion: signedIn('addDocumentVersion', async ({ params: { id }, body: upload, actor }) => {
      const record = await readableDocument(id, actor);
      const file = fileOf(upload);
      deps.documents.check(file);
      await checkTask(upload.fields.taskId, record.instanceId, actor);
      return deps.documents.addVersion(record.id, {
        file,
        by: actor.id,
        ...(upload.fields.reason ? { reason: upload.fields.reason } : {}),
        ...(upload.fields.taskId ? { taskId: upload.fields.taskId } : {}),
      });
    }),
    regenerateLetter: signedIn('regenerateLetter', async ({ params: { id }, body: { reason }, actor }) => {
      const record = await readableDocument(id, actor);
      if (!deps.letters) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
      const instance = await rt().getInstance(record.instanceId);
      return deps.letters.regenerate(record, actor, reason, instance.variables);
    }),
    downloadDocument: signedIn('downloadDocument', async ({ params: { id, version }, query, actor, res }) => {
      await readableDocument(id, actor);
      const read = await deps.documents.read(id, version);
      sendVersion(res, read.version, read.data, query.inline);
    }),
  };
}
