import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import multer from 'multer';
import { AppError } from '../app-error.js';
import { letterDate } from '../letters/letter-dates.js';
import type { LetterVerification } from '../../schemas/documents.js';

/** What the verification page needs from the letters. */
export interface LetterVerifier {
  verify(code: string, sha256?: string): Promise<LetterVerification>;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Verdict = 'issued' | 'unknown' | 'match' | 'changed';

function verdictOf(v: LetterVerification): Verdict {
  if (!v.issued) return 'unknown';
  if (v.matches === undefined) return 'issued';
  return v.matches ? 'match' : 'changed';
}

const TEXT = {
  fa: {
    title: 'تصدیق مکتوب رسمی',
    issued: (n: string, d: string, by: string) => `مکتوب شمارهٔ ${n} به تاریخ ${d} توسط ${by} صادر شده است.`,
    match: 'فایلی که دادید همان مکتوب صادرشده است.',
    changed: 'فایلی که دادید با مکتوب صادرشده یکسان نیست: این فایل تغییر کرده یا مکتوب دیگری است.',
    unknown: 'هیچ مکتوبی با این کد تصدیق صادر نشده است.',
    check: 'برای مقایسه، فایل PDF مکتوب را انتخاب کنید:',
    submit: 'مقایسه',
    code: 'کد تصدیق',
  },
  en: {
    title: 'Official letter verification',
    issued: (n: string, d: string, by: string) => `Letter No. ${n} was issued on ${d} by the ${by}.`,
    match: 'The file you gave is the issued letter.',
    changed: 'The file you gave is NOT the issued letter: it was changed or is another document.',
    unknown: 'No letter was issued with this verification code.',
    check: 'To compare, choose the PDF of the letter:',
    submit: 'Compare',
    code: 'Verification code',
  },
} as const;

function section(lang: 'fa' | 'en', code: string, v: LetterVerification, verdict: Verdict): string {
  const t = TEXT[lang];
  const lines: string[] = [];
  if (v.issued) lines.push(t.issued(v.number!, letterDate(v.issuedAt!, lang), v.directorate![lang]));
  if (verdict === 'match') lines.push(t.match);
  if (verdict === 'changed') lines.push(t.changed);
  if (verdict === 'unknown') lines.push(t.unknown);
  const ok = verdict === 'issued' || verdict === 'match';
  return `<section lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}" class="${ok ? 'ok' : 'bad'}">
  <h1>${esc(t.title)}</h1>
  <p class="code">${esc(t.code)}: <bdi>${esc(code)}</bdi></p>
  ${lines.map((l) => `<p class="verdict" data-verdict="${verdict}">${esc(l)}</p>`).join('\n  ')}
  ${
    v.issued
      ? `<form method="post" enctype="multipart/form-data" action="/verify/${encodeURIComponent(code)}">
    <label>${esc(t.check)} <input type="file" name="file" accept="application/pdf,image/*"></label>
    <button type="submit">${esc(t.submit)}</button>
  </form>`
      : ''
  }
</section>`;
}

function page(code: string, v: LetterVerification): string {
  const verdict = verdictOf(v);
  return `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${TEXT.fa.title} | ${TEXT.en.title}</title>
<style>
body{font-family:Vazirmatn,Tahoma,'Segoe UI',sans-serif;margin:0;background:#f4f6f5;color:#1a1a1a}
main{max-width:720px;margin:2rem auto;padding:0 1rem;display:grid;gap:1rem}
section{background:#fff;border-radius:10px;padding:1.25rem 1.5rem;border-inline-start:6px solid #0b5d4b;line-height:1.9}
section.bad{border-inline-start-color:#b42318}
h1{font-size:1.25rem;margin:0 0 .5rem}
.verdict{font-weight:600}
.bad .verdict{color:#b42318}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
button{padding:.4rem 1rem;border-radius:6px;border:1px solid #0b5d4b;background:#0b5d4b;color:#fff;font:inherit}
</style></head>
<body><main data-verdict="${verdict}">
${section('fa', code, v, verdict)}
${section('en', code, v, verdict)}
</main></body></html>`;
}

/**
 * `GET /verify/<code>` (no sign-in): whether a letter with that code was issued, when and by which directorate,
 * and nothing else; `?sha256=<hex>` or a file posted to the same address says whether that file is the letter.
 * `Accept: application/json` gets the same answer as JSON.
 */
export function verifyRouter(options: {
  letters: LetterVerifier | undefined;
  documentLimitBytes: number;
}): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: 60,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (_req, _res, next) => next(new AppError('RV_ERR_RATE_LIMITED')),
  });
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.documentLimitBytes, files: 1, fields: 0, parts: 1 },
  }).single('file');

  const answer = async (req: Request, res: Response, sha256: string | undefined) => {
    if (!options.letters) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
    const code = String(req.params.code ?? '').toUpperCase();
    if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256))
      throw new AppError('RV_ERR_VALIDATION', { sha256: 'must be 64 hex digits' });
    const v = await options.letters.verify(code, sha256);
    res.setHeader('Cache-Control', 'no-store');
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(200).json(v);
      return;
    }
    res.status(200).type('html').send(page(code, v));
  };

  router.get('/verify/:code', limiter, async (req, res) => {
    const q = req.query.sha256;
    await answer(req, res, typeof q === 'string' ? q : undefined);
  });
  router.post('/verify/:code', limiter, upload, async (req, res) => {
    const file = (req as { file?: { buffer: Buffer } }).file;
    if (!file || file.buffer.length === 0) throw new AppError('RV_ERR_DOCUMENT_MISSING');
    await answer(req, res, crypto.createHash('sha256').update(file.buffer).digest('hex'));
  });
  return router;
}
