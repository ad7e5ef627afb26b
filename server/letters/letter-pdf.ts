import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { projectRoot } from '../project-root.js';
import { BidiTypesetter } from './bidi-text.js';
import { letterDate } from './letter-dates.js';
import type { LetterText } from './letter-templates.js';

/** Everything printed on a letter, both languages filled in. */
export interface LetterContent {
  /** Official number, e.g. `FR-1405-0007`. */
  number: string;
  issuedAt: Date;
  directorate: { fa: string; en: string };
  code: string;
  /** What the QR code holds: `<public url>/verify/<code>`. */
  verifyUrl: string;
  fa: LetterText;
  en: LetterText;
}

const FONT_DIR = path.join(projectRoot(), 'node_modules', 'vazirmatn', 'fonts', 'ttf');
let fonts: { regular: fontkit.Font; bold: fontkit.Font } | undefined;
/**
 * Vazirmatn, parsed once per process: fontkit decodes the shaping tables (GSUB/GPOS) lazily on each font object,
 * which was most of a letter's time when every letter opened the files again. fontkit also caches each glyph with
 * the characters of its first use, and pdfkit writes those as the glyph's text (ToUnicode): the cache is emptied
 * for every letter so that what pdftotext reads does not depend on the letters rendered before.
 */
function vazirmatn(): { regular: fontkit.Font; bold: fontkit.Font } {
  fonts ??= {
    regular: fontkit.openSync(path.join(FONT_DIR, 'Vazirmatn-Regular.ttf')),
    bold: fontkit.openSync(path.join(FONT_DIR, 'Vazirmatn-Bold.ttf')),
  };
  for (const font of Object.values(fonts)) (font as unknown as { _glyphs: object })._glyphs = {};
  return fonts;
}
const PAGE = { width: 595.28, height: 841.89, margin: 56 };
const INK = '#1a1a1a';
const ACCENT = '#0b5d4b';

const LABELS = {
  fa: {
    office: 'کمیسیون شکایات انتخاباتی',
    deputy: 'معاونیت پالیسی و هماهنگی',
    number: 'شماره:',
    date: 'تاریخ:',
    verify: 'کد تصدیق:',
    verifyHint: 'اصالت این مکتوب را با اسکن کد QR یا در نشانی زیر تصدیق کنید:',
    signature: 'امضا و مهر',
  },
  en: {
    office: 'Electoral Complaints Commission',
    deputy: 'Deputy for Policy and Coordination',
    number: 'No.:',
    date: 'Date:',
    verify: 'Verification code:',
    verifyHint: 'Check that this letter is genuine by scanning the QR code or at:',
    signature: 'Signature and seal',
  },
} as const;

/**
 * Renders an official letter as a PDF: the Dari letter on page 1 and the English one on page 2, each with the
 * letterhead, number, date (Solar Hijri; Gregorian beside it in English), text, signatory and a verification
 * code with its QR code. Vazirmatn is embedded (subset); Dari is shaped by fontkit and ordered by bidi-js.
 */
export async function renderLetterPdf(letter: LetterContent): Promise<Buffer> {
  const qr = await QRCode.toBuffer(letter.verifyUrl, {
    type: 'png',
    margin: 1,
    width: 240,
    errorCorrectionLevel: 'M',
  });
  // from here to doc.end() nothing awaits: the shared fonts serve this letter alone
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    autoFirstPage: false,
    info: {
      Title: `${letter.en.title} ${letter.number}`,
      Author: LABELS.en.office,
      Subject: letter.en.subject,
      CreationDate: letter.issuedAt,
      ModDate: letter.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  // pdfkit 0.20 takes a fontkit font as it is (PDFFontFactory.open); its typings list only files and bytes
  const { regular, bold } = vazirmatn();
  doc.registerFont('regular', regular as unknown as Buffer);
  doc.registerFont('bold', bold as unknown as Buffer);

  for (const lang of ['fa', 'en'] as const) {
    doc.addPage();
    page(doc, letter, lang, qr);
  }
  ligaturesInReadingOrder(doc);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * A ligature of several Arabic-script letters (lam-alef `لا`) maps to its letters in logical order in pdfkit's
 * ToUnicode table; text extraction (poppler's pdftotext, copy and paste) reads an RTL line visually and reverses
 * every mapping, so `پلان` came out as `پالن`. Stored in visual order, it reads back in logical order.
 */
function ligaturesInReadingOrder(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies: Record<string, { unicode?: number[][] }> })
    ._fontFamilies;
  // a font is listed under its family key and its PostScript name: patch each once
  for (const font of new Set(Object.values(families))) {
    font.unicode?.forEach((cps, gid) => {
      if (cps && cps.length > 1 && cps.every((cp) => cp >= 0x0600 && cp <= 0x06ff))
        font.unicode![gid] = [...cps].reverse();
    });
  }
}

/** A paragraph's direction by its first strong letter (Unicode rules P2–P3), else the page's. */
export function paragraphDir(text: string, fallback: 'rtl' | 'ltr'): 'rtl' | 'ltr' {
  const first = /[A-Za-z\u00c0-\u024f\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/.exec(text)?.[0];
  if (!first) return fallback;
  return /[A-Za-z\u00c0-\u024f]/.test(first) ? 'ltr' : 'rtl';
}

function page(doc: PDFKit.PDFDocument, letter: LetterContent, lang: 'fa' | 'en', qr: Buffer): void {
  const t = letter[lang];
  const L = LABELS[lang];
  const dir = lang === 'fa' ? 'rtl' : 'ltr';
  const set = new BidiTypesetter(doc);
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  const write = (
    text: string,
    y: number,
    o: {
      font?: 'regular' | 'bold';
      size?: number;
      align?: 'start' | 'end' | 'center';
      color?: string;
      gap?: number;
      dir?: 'rtl' | 'ltr';
    } = {},
  ) => {
    const size = o.size ?? 11.5;
    doc
      .font(o.font ?? 'regular')
      .fontSize(size)
      .fillColor(o.color ?? INK);
    return set.paragraph(text, {
      x: left,
      y,
      width,
      dir: o.dir ?? dir,
      align: o.align ?? 'start',
      lineHeight: size * (o.gap ?? 1.85),
    });
  };

  // letterhead
  let y = PAGE.margin - 16;
  y = write(L.office, y, { font: 'bold', size: 17, align: 'center', color: ACCENT, gap: 1.6 });
  y = write(L.deputy, y, { size: 12, align: 'center', gap: 1.6 });
  // the deputy's own letters (the SOP audit report) would name the deputyship twice
  if (letter.directorate[lang] !== L.deputy)
    y = write(letter.directorate[lang], y, { size: 11, align: 'center', gap: 1.6 });
  doc
    .moveTo(left, y + 4)
    .lineTo(left + width, y + 4)
    .lineWidth(1.2)
    .strokeColor(ACCENT)
    .stroke();
  y += 16;

  // number and date, on the reading side
  y = write(`${L.number} ${letter.number}`, y, { size: 11, gap: 1.7 });
  y = write(`${L.date} ${letterDate(letter.issuedAt, lang)}`, y, { size: 11, gap: 1.7 });
  y += 14;

  y = write(t.title, y, { font: 'bold', size: 15, align: 'center', gap: 1.8 });
  y += 6;
  y = write(t.to, y, { size: 11.5 });
  y = write(t.subject, y, { font: 'bold', size: 11.5 });
  y += 8;
  // a paragraph typed in the other language (a Dari summary in the English letter) runs and aligns its own way
  for (const p of t.body) y = write(p, y, { size: 11.5, dir: paragraphDir(p, dir) }) + 6;
  y += 6;
  y = write(t.closing, y, { size: 11.5 });
  y += 36;
  y = write(t.signatory.name, y, { font: 'bold', size: 11.5, align: 'end', gap: 1.6 });
  y = write(t.signatory.title, y, { size: 10.5, align: 'end', gap: 1.6 });
  write(L.signature, y + 2, { size: 9, align: 'end', color: '#777777' });

  // verification block at the foot: QR on the outer side, code and address beside it
  const qrSize = 74;
  const footTop = PAGE.height - PAGE.margin - qrSize;
  doc
    .moveTo(left, footTop - 10)
    .lineTo(left + width, footTop - 10)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  const qrX = lang === 'fa' ? left : left + width - qrSize;
  doc.image(qr, qrX, footTop, { width: qrSize, height: qrSize });
  const textLeft = lang === 'fa' ? left + qrSize + 12 : left;
  const textWidth = width - qrSize - 12;
  const foot = (text: string, yy: number, font: 'regular' | 'bold', size: number) => {
    doc.font(font).fontSize(size).fillColor(INK);
    return set.paragraph(text, { x: textLeft, y: yy, width: textWidth, dir, lineHeight: size * 1.7 });
  };
  let fy = footTop + 4;
  fy = foot(`${L.verify} ${letter.code}`, fy, 'bold', 10.5);
  fy = foot(L.verifyHint, fy, 'regular', 9);
  foot(letter.verifyUrl, fy, 'regular', 9);
}
