/**
 * Documents (attachments and generated letters) as the server hands them out: one record per document with
 * every version kept, each with who, when and why. Shared by the server, the socket events and the client.
 */
import type { I18nText } from './records.js';

/** The file types Ravand accepts, recognised by their content (magic bytes), never by name. */
export type DocumentType = 'pdf' | 'docx' | 'xlsx' | 'odt' | 'jpeg' | 'png';

export interface DocumentVersion {
  /** 1, 2, 3 … */
  version: number;
  /** Where the bytes are (`document_chunks` `_id`s are `<fileId>:<n>`). */
  fileId: string;
  /** The uploaded file name, kept in Dari or English but made safe (no path, no control characters). */
  name: string;
  type: DocumentType;
  /** The MIME type served for `type`. */
  mime: string;
  size: number;
  /** Hex SHA-256 of the bytes; also in the hash-chained audit trail. */
  sha256: string;
  /** User id, or `system` for a generated letter. */
  by: string;
  at: string;
  /** Why this version exists (a new draft after a return, the signed scan …). */
  reason?: string;
  /** The task it was uploaded from, if any. */
  taskId?: string;
  /** `generated` (a letter made by Ravand), `upload` (a person's file). */
  origin: 'generated' | 'upload';
}

export interface DocumentRecord {
  id: string;
  instanceId: string;
  /** `letter` for an official letter Ravand generated (verification code in `letter`). */
  kind: 'attachment' | 'letter';
  /** A title; defaults to the first version's file name. */
  title: I18nText;
  letter?: { code: string; number: string; kind: string };
  createdAt: string;
  createdBy: string;
  /** Oldest first; the last is current. */
  versions: DocumentVersion[];
}

/** What `GET /verify/<code>` tells anyone: nothing beyond whether and when and by whom it was issued. */
export interface LetterVerification {
  issued: boolean;
  number?: string;
  directorate?: I18nText;
  issuedAt?: string;
  /** When a hash was given: whether it is a file of that letter. */
  matches?: boolean;
}
