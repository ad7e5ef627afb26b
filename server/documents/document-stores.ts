import type { DocumentRecord, DocumentVersion } from '../../schemas/documents.js';
import type { I18nText } from '../engine/types.js';

/**
 * Where document bytes and records live; `server/persistence/document-store.ts` keeps them in the database,
 * everything read by `_id` (see the README's "Documents" section for why not GridFS on the embedded database).
 */
export interface DocumentStore {
  /** Stores the bytes of one version under `fileId`. */
  putFile(fileId: string, data: Buffer): Promise<void>;
  /** The bytes of `fileId` (its size tells how many chunks to read). */
  readFile(fileId: string, size: number): Promise<Buffer>;
  /** Removes the bytes of a version whose record could not be written. */
  deleteFile(fileId: string, size: number): Promise<void>;
  /** Writes a new document record and lists it on its instance. */
  create(record: DocumentRecord): Promise<void>;
  /** Appends a version; RV_ERR_CONFLICT when `expectedVersions` versions are no longer the last ones. */
  addVersion(id: string, expectedVersions: number, version: DocumentVersion): Promise<DocumentRecord>;
  get(id: string): Promise<DocumentRecord | undefined>;
  /** The documents of an instance, oldest first (read through the instance's own list, by `_id`). */
  forInstance(instanceId: string): Promise<DocumentRecord[]>;
}

/** One issued letter in the register of its directorate and Solar Hijri year. */
export interface LetterRecord {
  /** The verification code printed on the letter (and in its QR code). */
  code: string;
  /** The official number, e.g. `PP-1405-0017`. */
  number: string;
  kind: string;
  directorate: string;
  directorateName: I18nText;
  year: number;
  seq: number;
  issuedAt: string;
  instanceId: string;
  documentId: string;
  /** SHA-256 of every file of this letter: each generated version and the signed scan. */
  hashes: string[];
}

/** The register of issued letters and its numbering. */
export interface LetterStore {
  /** The next number of `register` (e.g. `plan-policy-1405`): consecutive, never reused. */
  nextNumber(register: string): Promise<number>;
  put(letter: LetterRecord): Promise<void>;
  get(code: string): Promise<LetterRecord | undefined>;
  /** Adds a file hash (a regenerated version, the signed scan) to a letter. */
  addHash(code: string, sha256: string): Promise<void>;
}
