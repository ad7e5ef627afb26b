import path from 'node:path';
import type { DocumentType } from '../../schemas/documents.js';

/** MIME type served for each accepted type. */
export const MIME_TYPES: Record<DocumentType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The default allow-list (RAVAND_DOCUMENT_TYPES narrows or names it). */
export const DEFAULT_DOCUMENT_TYPES: readonly DocumentType[] = ['pdf', 'docx', 'xlsx', 'odt', 'jpeg', 'png'];

/** Types a browser may show inline: never active content (no HTML, SVG, scripts). */
export const INLINE_TYPES: readonly DocumentType[] = ['pdf', 'jpeg', 'png'];

const startsWith = (buf: Buffer, bytes: number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);

/** The names of the entries of a zip file, read from its central directory (no decompression). */
export function zipEntryNames(buf: Buffer): string[] | undefined {
  // the end-of-central-directory record is in the last 64 KB + 22 bytes
  const floor = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= floor; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    if (at + 46 + nameLen > buf.length) return undefined;
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** An ODF package starts with a stored `mimetype` entry whose content names the type (ODF 1.2 §3.3). */
function odfMimetype(buf: Buffer): string | undefined {
  if (!startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return undefined;
  const nameLen = buf.readUInt16LE(26);
  const extraLen = buf.readUInt16LE(28);
  if (buf.toString('latin1', 30, 30 + nameLen) !== 'mimetype') return undefined;
  const size = buf.readUInt32LE(18);
  const start = 30 + nameLen + extraLen;
  return buf.toString('latin1', start, start + Math.min(size, 100));
}

/**
 * The type of a file by its content alone: PDF, JPEG and PNG by their signatures; DOCX, XLSX and ODT are zip
 * containers, told apart by what is inside (`[Content_Types].xml` with `word/` or `xl/`, or the ODF `mimetype`).
 * Undefined for anything else (an executable, SVG, HTML, a plain zip …).
 */
export function detectType(buf: Buffer): DocumentType | undefined {
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (!startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return undefined;
  if (odfMimetype(buf) === 'application/vnd.oasis.opendocument.text') return 'odt';
  const names = zipEntryNames(buf);
  if (!names?.includes('[Content_Types].xml')) return undefined;
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  return undefined;
}

/** A name that tries to be a path (`../`, `/etc/x`, `C:\\x`) or hides characters: refused, not repaired. */
export function isHostileName(name: string): boolean {
  return (
    /[\\/]/.test(name) ||
    /^\.\.?$/.test(name.trim()) ||
    /^[A-Za-z]:/.test(name) ||
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(name)
  );
}

const EXTENSIONS: Record<DocumentType, string> = {
  pdf: '.pdf',
  docx: '.docx',
  xlsx: '.xlsx',
  odt: '.odt',
  jpeg: '.jpg',
  png: '.png',
};

/**
 * A file name safe to store and to send back: the last path segment only, NFC, without control or bidi
 * override characters or characters Windows forbids, at most 150 characters, with the extension of its real
 * type. Dari letters are kept.
 */
export function safeFileName(name: string | undefined, type: DocumentType): string {
  let base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  base = base
    // C0/C1 controls, bidi embeddings/overrides/isolates (a name must not reorder what is shown around it)
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const ext = path.extname(base);
  let stem = ext ? base.slice(0, -ext.length) : base;
  stem = stem.trim().slice(0, 140) || 'document';
  return `${stem}${EXTENSIONS[type]}`;
}
