import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs `fn` on the PDF written to a temporary file (poppler's tools read files). */
function withFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, pdf);
    return fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * pdftotext's text of one page without bidi marks and white space (lines wrap where the PDF wraps; poppler's
 * visual-to-logical pass puts spaces beside neutral punctuation by its own heuristics).
 */
export function pdfPageText(pdf: Buffer, page: number): string {
  return withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }),
  )
    .replace(/[\u200e\u200f\u202a-\u202e]/g, '')
    .replace(/\s+/g, '');
}

/** Renders one page to `<outPrefix>.png` at 100 dpi with pdftoppm, for a person to look at. */
export function renderPdfPage(pdf: Buffer, page: number, outPrefix: string): string {
  fs.mkdirSync(path.dirname(outPrefix), { recursive: true });
  withFile(pdf, (file) =>
    execFileSync('pdftoppm', [
      '-f',
      String(page),
      '-l',
      String(page),
      '-r',
      '100',
      '-png',
      '-singlefile',
      file,
      outPrefix,
    ]),
  );
  return `${outPrefix}.png`;
}
