import crypto from 'node:crypto';
import { AppError } from '../app-error.js';
import type { DocumentService } from '../documents/document-service.js';
import type { LetterRecord, LetterStore } from '../documents/document-stores.js';
import { InstanceQueue } from '../engine/instance-queue.js';
import type { Actor, ServiceContext, ServiceHandler } from '../engine/types.js';
import { groups } from '../seed/organisation.js';
import type { DocumentRecord, LetterVerification } from '../../schemas/documents.js';
import { solarHijri } from './letter-dates.js';
import { renderLetterPdf } from './letter-pdf.js';
import { LETTER_KINDS, fillText, letterTemplate, type LetterKind } from './letter-templates.js';

export interface LetterServiceOptions {
  documents: DocumentService;
  store: LetterStore;
  /** Base of the verification address printed in the QR code (no trailing slash). */
  publicUrl: string;
  now?: () => Date;
}

/** The variable each kind's service task sets: `{ documentId, number, code }`. */
export const LETTER_VARIABLES: Record<LetterKind, string> = {
  'trip-authorization': 'tripLetter',
  'support-letter': 'supportLetter',
  'policy-approval-notice': 'approvalNotice',
  'information-response': 'responseLetter',
  'sop-audit-report': 'auditReportLetter',
};

/** The service-task topics of the letters, `letter-<kind>`. */
export const LETTER_TOPICS: readonly string[] = LETTER_KINDS.map((k) => `letter-${k}`);

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A verification code such as `K7M2-9QXD-P4TR` (60 random bits; unguessable, easy to read out). */
export function newVerificationCode(): string {
  const bytes = crypto.randomBytes(12);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? { fa: id, en: id };

/** A letter's document has a signed copy once a person uploaded a version of it. */
const isSigned = (doc: DocumentRecord) => doc.versions.some((v) => v.origin === 'upload');

/**
 * Official letters: numbers each from its directorate's register for the Solar Hijri year (consecutive, never
 * twice, serialised per register in this process with the number's own `_id` as the guard), renders it from its
 * template, attaches it to the instance as a document, and answers public verification.
 */
export class LetterService {
  private readonly queue = new InstanceQueue();
  private readonly now: () => Date;

  constructor(private readonly o: LetterServiceOptions) {
    this.now = o.now ?? (() => new Date());
    // every later file of a letter (a regenerated version, the signed scan) verifies as that letter
    o.documents.onAdded(async ({ document, version }) => {
      if (document.kind === 'letter' && document.letter)
        await o.store.addHash(document.letter.code, version.sha256);
    });
  }

  private async render(letter: LetterRecord, variables: Readonly<Record<string, unknown>>): Promise<Buffer> {
    const t = letterTemplate(letter.kind);
    return renderLetterPdf({
      number: letter.number,
      issuedAt: new Date(letter.issuedAt),
      directorate: letter.directorateName,
      code: letter.code,
      verifyUrl: `${this.o.publicUrl}/verify/${letter.code}`,
      fa: fillText(t.fa, variables, 'fa', t.labels),
      en: fillText(t.en, variables, 'en', t.labels),
    });
  }

  /**
   * Issues a letter of `kind` for an instance, or (when its document exists and is not signed yet) generates it
   * again as the next version with the same number and code. The document id is `<instanceId>:<kind>`.
   */
  async issue(
    kind: LetterKind,
    instanceId: string,
    variables: Readonly<Record<string, unknown>>,
  ): Promise<{ documentId: string; number: string; code: string }> {
    const documentId = `${instanceId}:${kind}`;
    const existing = await this.o.documents.store.get(documentId);
    if (existing?.letter) {
      if (!isSigned(existing))
        await this.regenerateWith(existing, variables, 'system', 'generated again by the process');
      return { documentId, number: existing.letter.number, code: existing.letter.code };
    }
    const t = letterTemplate(kind);
    const issuedAt = this.now();
    const year = solarHijri(issuedAt).year;
    const register = `${t.directorate}-${year}`;
    return this.queue.run(register, async () => {
      const seq = await this.o.store.nextNumber(register);
      const letter: LetterRecord = {
        code: newVerificationCode(),
        number: `${t.prefix}-${year}-${String(seq).padStart(4, '0')}`,
        kind,
        directorate: t.directorate,
        directorateName: groupName(t.directorate),
        year,
        seq,
        issuedAt: issuedAt.toISOString(),
        instanceId,
        documentId,
        hashes: [],
      };
      const pdf = await this.render(letter, variables);
      const doc = await this.o.documents.create(instanceId, {
        id: documentId,
        file: { data: pdf, name: `${letter.number}.pdf` },
        by: 'system',
        origin: 'generated',
        kind: 'letter',
        letter: { code: letter.code, number: letter.number, kind },
        title: { fa: `${t.fa.title} ${letter.number}`, en: `${t.en.title} ${letter.number}` },
      });
      letter.hashes = [doc.versions[0]!.sha256];
      // the number counts as given only now, with the letter on record
      await this.o.store.put(letter);
      return { documentId, number: letter.number, code: letter.code };
    });
  }

  private async regenerateWith(
    doc: DocumentRecord,
    variables: Readonly<Record<string, unknown>>,
    by: string,
    reason: string | undefined,
  ): Promise<DocumentRecord> {
    if (!doc.letter) throw new AppError('RV_ERR_NOT_A_LETTER');
    if (isSigned(doc)) throw new AppError('RV_ERR_LETTER_SIGNED');
    const letter = await this.o.store.get(doc.letter.code);
    if (!letter) throw new AppError('RV_ERR_NOT_A_LETTER');
    const pdf = await this.render(letter, variables);
    return this.o.documents.addVersion(doc.id, {
      file: { data: pdf, name: `${letter.number}.pdf` },
      by,
      origin: 'generated',
      ...(reason ? { reason } : {}),
    });
  }

  /** Generates a letter again from its instance's current variables (a new version; refused once signed). */
  async regenerate(
    doc: DocumentRecord,
    actor: Actor,
    reason: string | undefined,
    variables?: Readonly<Record<string, unknown>>,
  ): Promise<DocumentRecord> {
    if (!variables) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
    return this.regenerateWith(doc, variables, actor.id, reason);
  }

  /** Whether `code` names an issued letter (and whether `sha256`, when given, is a file of it); nothing more. */
  async verify(code: string, sha256?: string): Promise<LetterVerification> {
    const letter = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code)
      ? await this.o.store.get(code)
      : undefined;
    if (!letter) return { issued: false };
    const out: LetterVerification = {
      issued: true,
      number: letter.number,
      directorate: letter.directorateName,
      issuedAt: letter.issuedAt,
    };
    if (sha256 !== undefined) out.matches = letter.hashes.includes(sha256.toLowerCase());
    return out;
  }

  /** The service tasks of the processes: `letter-<kind>` sets `<variable>: { documentId, number, code }`. */
  services(): Record<string, ServiceHandler> {
    const out: Record<string, ServiceHandler> = {};
    for (const kind of LETTER_KINDS) {
      out[`letter-${kind}`] = async (ctx: ServiceContext) => ({
        [LETTER_VARIABLES[kind]]: await this.issue(kind, ctx.instanceId, ctx.variables),
      });
    }
    return out;
  }
}
