import crypto from 'node:crypto';
import { AppError } from '../app-error.js';
import type { AuditEvent, I18nText } from '../engine/types.js';
import type { DocumentRecord, DocumentType, DocumentVersion } from '../../schemas/documents.js';
import type { DocumentStore } from './document-stores.js';
import { DEFAULT_DOCUMENT_TYPES, MIME_TYPES, detectType, isHostileName, safeFileName } from './file-check.js';

/** Upload limits (RAVAND_DOCUMENT_MAX_MB, RAVAND_DOCUMENT_TYPES). */
export interface DocumentLimits {
  maxBytes: number;
  types: readonly DocumentType[];
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxBytes: 25 * 1024 * 1024,
  types: DEFAULT_DOCUMENT_TYPES,
};

/** Appends audit entries to the hash chain (the runtime's `recordAudit`). */
export type AuditSink = (drafts: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>[]) => Promise<unknown>;

/** A file as it arrives: bytes and the name the client gave. */
export interface IncomingFile {
  data: Buffer;
  name: string | undefined;
}

export interface VersionInput {
  file: IncomingFile;
  by: string;
  reason?: string;
  taskId?: string;
  origin?: DocumentVersion['origin'];
}

type AddedListener = (event: { document: DocumentRecord; version: DocumentVersion }) => void | Promise<void>;

/**
 * Documents of instances: checks each file (size, type by content, name), stores it with its SHA-256, keeps
 * every version with who/when/why, appends `document.added` with the hash to the audit chain, and tells its
 * listeners (the socket layer). Access rules are the caller's: reading a document is reading its instance.
 */
export class DocumentService {
  private audit: AuditSink | undefined;
  private readonly listeners = new Set<AddedListener>();

  constructor(
    readonly store: DocumentStore,
    readonly limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Wires the audit chain (the runtime is built after the services that generate letters). */
  bindAudit(sink: AuditSink): void {
    this.audit = sink;
  }

  /** Called after each new document or version is stored and audited. */
  onAdded(listener: AddedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks a file; throws the 4xx that says what is wrong, before anything is stored. */
  check(file: IncomingFile): { type: DocumentType; name: string } {
    if (file.data.length === 0) throw new AppError('RV_ERR_DOCUMENT_EMPTY');
    if (file.data.length > this.limits.maxBytes)
      throw new AppError('RV_ERR_DOCUMENT_TOO_LARGE', { maxBytes: this.limits.maxBytes });
    if (file.name !== undefined && isHostileName(file.name)) throw new AppError('RV_ERR_DOCUMENT_NAME');
    const type = detectType(file.data);
    if (!type || !this.limits.types.includes(type))
      throw new AppError('RV_ERR_DOCUMENT_TYPE', { allowed: this.limits.types });
    return { type, name: safeFileName(file.name, type) };
  }

  private async storeVersion(input: VersionInput, version: number): Promise<DocumentVersion> {
    const { type, name } = this.check(input.file);
    const fileId = crypto.randomUUID();
    await this.store.putFile(fileId, input.file.data);
    const v: DocumentVersion = {
      version,
      fileId,
      name,
      type,
      mime: MIME_TYPES[type],
      size: input.file.data.length,
      sha256: crypto.createHash('sha256').update(input.file.data).digest('hex'),
      by: input.by,
      at: this.now().toISOString(),
      origin: input.origin ?? 'upload',
    };
    if (input.reason) v.reason = input.reason;
    if (input.taskId) v.taskId = input.taskId;
    return v;
  }

  private async added(document: DocumentRecord, version: DocumentVersion): Promise<void> {
    if (!this.audit) throw new Error('DocumentService: the audit chain is not bound');
    await this.audit([
      {
        at: version.at,
        actor: version.by,
        type: 'document.added',
        instanceId: document.instanceId,
        ...(version.taskId ? { taskId: version.taskId } : {}),
        data: {
          documentId: document.id,
          version: version.version,
          name: version.name,
          type: version.type,
          size: version.size,
          sha256: version.sha256,
          ...(version.reason ? { reason: version.reason } : {}),
        },
      },
    ]);
    for (const l of this.listeners) await l({ document, version });
  }

  /** A new document on `instanceId` with its first version. */
  async create(
    instanceId: string,
    input: VersionInput & {
      title?: I18nText;
      kind?: DocumentRecord['kind'];
      letter?: DocumentRecord['letter'];
      id?: string;
    },
  ): Promise<DocumentRecord> {
    const version = await this.storeVersion(input, 1);
    const record: DocumentRecord = {
      id: input.id ?? crypto.randomUUID(),
      instanceId,
      kind: input.kind ?? 'attachment',
      title: input.title ?? { fa: version.name, en: version.name },
      createdAt: version.at,
      createdBy: input.by,
      versions: [version],
    };
    if (input.letter) record.letter = input.letter;
    try {
      await this.store.create(record);
    } catch (err) {
      await this.store.deleteFile(version.fileId, version.size).catch(() => undefined);
      throw err;
    }
    await this.added(record, version);
    return record;
  }

  /** The next version of a document; the earlier ones stay. */
  async addVersion(id: string, input: VersionInput): Promise<DocumentRecord> {
    const current = await this.get(id);
    const version = await this.storeVersion(input, current.versions.length + 1);
    let record: DocumentRecord;
    try {
      record = await this.store.addVersion(id, current.versions.length, version);
    } catch (err) {
      await this.store.deleteFile(version.fileId, version.size).catch(() => undefined);
      throw err;
    }
    await this.added(record, version);
    return record;
  }

  async get(id: string): Promise<DocumentRecord> {
    const record = await this.store.get(id);
    if (!record) throw new AppError('RV_ERR_DOCUMENT_NOT_FOUND');
    return record;
  }

  forInstance(instanceId: string): Promise<DocumentRecord[]> {
    return this.store.forInstance(instanceId);
  }

  /** The bytes of one version (the latest when `version` is omitted). */
  async read(
    id: string,
    version?: number,
  ): Promise<{ record: DocumentRecord; version: DocumentVersion; data: Buffer }> {
    const record = await this.get(id);
    const v = version === undefined ? record.versions.at(-1) : record.versions[version - 1];
    if (!v) throw new AppError('RV_ERR_DOCUMENT_NOT_FOUND', { version });
    return { record, version: v, data: await this.store.readFile(v.fileId, v.size) };
  }
}
