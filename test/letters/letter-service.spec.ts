import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { AuditWriter } from '../../server/engine/audit-chain.js';
import { DocumentService } from '../../server/documents/document-service.js';
import { LetterService } from '../../server/letters/letter-service.js';
import { MongoAuditStore } from '../../server/persistence/audit-store.js';
import { MongoDocumentStore } from '../../server/persistence/document-store.js';
import { MongoLetterStore } from '../../server/persistence/letter-store.js';
import { useTestDatabase } from '../helpers/database.js';

const trip = {
  requestingDirectorate: 'plan-policy',
  travellers: [{ name: 'احمد شاه رحیمی' }, { name: 'Maryam Sultani' }],
  eventName: 'Regional Electoral Justice Forum 2026',
  hostCity: 'Geneva',
  hostCountry: 'سویس',
  departureDate: '2026-12-14',
  returnDate: '2026-12-18',
  estimatedCost: 4200,
  currency: 'USD',
};

/**
 * pdftotext's text of one page without bidi marks and without white space: lines wrap where the PDF wraps, and
 * poppler's own visual-to-logical pass puts spaces beside neutral punctuation (`موضوع :منظوری`) by its heuristics.
 */
function pageText(pdf: Buffer, page: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-letter-'));
  try {
    const file = path.join(dir, 'letter.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], {
      encoding: 'utf8',
    });
    return text.replace(/[\u200e\u200f\u202a-\u202e]/g, '').replace(/\s+/g, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('letters/letter-service', () => {
  const database = useTestDatabase();
  let documents: DocumentService;
  let letters: LetterService;

  before(() => {
    const conn = database.db.conn;
    documents = new DocumentService(new MongoDocumentStore(conn));
    const audit = new AuditWriter(new MongoAuditStore(conn));
    documents.bindAudit((drafts) => audit.append(drafts));
    letters = new LetterService({
      documents,
      store: new MongoLetterStore(conn),
      publicUrl: 'https://ravand.example',
      now: () => new Date('2026-12-04T06:00:00Z'),
    });
  });

  it('should give 50 letters issued at once 50 consecutive numbers of the directorate register', async function () {
    this.timeout(300_000);
    // when
    const issued = await Promise.all(
      Array.from({ length: 50 }, () =>
        letters.issue('support-letter', crypto.randomUUID(), { partnerName: 'UNDP' }),
      ),
    );
    // then
    const seqs = issued.map((l) => Number(/^FR-1405-(\d{4})$/.exec(l.number)![1])).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(issued.map((l) => l.code)).size).to.equal(50);
  });

  it('should typeset the Dari letter so that pdftotext reads its sentences in logical order', async function () {
    this.timeout(30_000);
    // given
    const { documentId } = await letters.issue('trip-authorization', crypto.randomUUID(), trip);
    // when
    const { data } = await documents.read(documentId);
    const fa = pageText(data, 1);
    const en = pageText(data, 2);
    // then: joined letters and words in reading order, with English and numbers inside the Dari sentences
    const has = (text: string, sentence: string) => expect(text).to.include(sentence.replace(/\s+/g, ''));
    has(fa, 'کمیسیون شکایات انتخاباتی');
    has(fa, 'مکتوب منظوری سفر رسمی');
    has(fa, 'موضوع: منظوری اشتراک در Regional Electoral Justice Forum 2026');
    has(fa, 'به اساس درخواست ریاست پلان و پالیسی و پس از منظوری معاون پالیسی و هماهنگی و رهبری کمیسیون');
    has(fa, 'سفر رسمی احمد شاه رحیمی');
    has(fa, 'سویس، از تاریخ ۲۳ قوس ۱۴۰۵ الی ۲۷ قوس ۱۴۰۵ منظور گردید.');
    has(fa, 'گزارش سفر در ظرف پنج روز کاری بعد از بازگشت به معاونیت پالیسی و هماهنگی سپرده شود.');
    expect(fa).to.match(/FR-1405-\d{4}/);
    has(en, 'Date: 13 Qaws 1405 (4 December 2026)');
    has(en, 'from 23 Qaws 1405 (14 December 2026) to 27 Qaws 1405 (18 December 2026)');
    // Vazirmatn is embedded
    const fonts = execFileSync('pdffonts', ['-'], { input: data, encoding: 'utf8' });
    expect(fonts).to.match(/Vazirmatn-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
  });

  it('should confirm an issued letter and its file, and refuse a changed copy and an unknown code', async () => {
    // given
    const { documentId, code, number } = await letters.issue('trip-authorization', crypto.randomUUID(), trip);
    const { data, version } = await documents.read(documentId);
    const tampered = Buffer.from(data);
    tampered[tampered.length - 100] ^= 1;
    // when
    const genuine = await letters.verify(code, version.sha256);
    const changed = await letters.verify(code, crypto.createHash('sha256').update(tampered).digest('hex'));
    const unknown = await letters.verify('ZZZZ-ZZZZ-ZZZZ');
    // then
    expect(genuine).to.deep.equal({
      issued: true,
      number,
      directorate: { fa: 'ریاست ارتباط خارجه', en: 'Directorate of Foreign Relations' },
      issuedAt: '2026-12-04T06:00:00.000Z',
      matches: true,
    });
    expect(changed).to.include({ issued: true, matches: false });
    expect(unknown).to.deep.equal({ issued: false });
  });

  it('should regenerate a letter as a new version with the same number until its signed copy is uploaded', async () => {
    // given
    const instanceId = crypto.randomUUID();
    const first = await letters.issue('trip-authorization', instanceId, trip);
    const doc = await documents.get(first.documentId);
    // when
    const again = await letters.regenerate(
      doc,
      { id: 'amina', groups: [], roles: ['staff'] },
      'cost corrected',
      {
        ...trip,
        estimatedCost: 3900,
      },
    );
    const signed = await documents.addVersion(doc.id, {
      file: { data: (await documents.read(doc.id)).data, name: 'signed.pdf' },
      by: 'amina',
      reason: 'signed copy',
    });
    // then
    expect(again.versions.map((v) => [v.version, v.origin, v.by])).to.deep.equal([
      [1, 'generated', 'system'],
      [2, 'generated', 'amina'],
    ]);
    expect(pageText((await documents.read(doc.id, 2)).data, 2)).to.include('3,900USD');
    expect((await letters.verify(first.code, again.versions[1]!.sha256)).matches).to.equal(true);
    expect((await letters.verify(first.code, signed.versions[2]!.sha256)).matches).to.equal(true);
    let refused: unknown;
    await letters
      .regenerate(signed, { id: 'amina', groups: [], roles: ['staff'] }, undefined, trip)
      .catch((err: unknown) => {
        refused = err;
      });
    expect(refused).to.have.property('code', 'RV_ERR_LETTER_SIGNED');
    expect((await letters.issue('trip-authorization', instanceId, trip)).number).to.equal(first.number);
  });
});
