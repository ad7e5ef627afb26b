import bidiModule, { type Bidi } from 'bidi-js';

// bidi-js is CommonJS (module.exports = factory) while its typings declare an ES default export
const bidiFactory = (
  typeof bidiModule === 'function' ? bidiModule : (bidiModule as { default: unknown }).default
) as () => Bidi;
const bidi = bidiFactory();

/** The part of a pdfkit document the typesetter uses. */
export interface TextCanvas {
  widthOfString(text: string): number;
  text(text: string, x: number, y: number, options: { lineBreak: false }): unknown;
}

export interface ParagraphOptions {
  x: number;
  y: number;
  width: number;
  /** The paragraph direction: `rtl` for Dari, `ltr` for English (runs inside follow the Unicode bidi algorithm). */
  dir: 'rtl' | 'ltr';
  /** `start` is the right edge in Dari and the left in English. */
  align?: 'start' | 'end' | 'center';
  /** Distance from one baseline to the next. */
  lineHeight: number;
}

interface Item {
  text: string;
  level: number;
}

const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
const LATIN_LETTER = /[A-Za-z\u00c0-\u024f]/;

/**
 * fontkit (pdfkit's shaper) lays a run out right to left when its first letter-bearing character belongs to a
 * right-to-left script, and left to right otherwise. A run of Persian digits inside an LTR level (a date) would be
 * reversed, a run of neutrals at an RTL level would not: those runs are handed over reversed, which is safe
 * because digits and neutrals do not join.
 */
function fontkitIsRtl(text: string): boolean {
  for (const ch of text) {
    if (ARABIC_SCRIPT.test(ch)) return true;
    if (LATIN_LETTER.test(ch)) return false;
  }
  return false;
}

/** Rule L2 of UAX #9: from the highest level down to the lowest odd one, reverse every run at or above it. */
function visualOrder(items: Item[]): Item[] {
  if (items.length === 0) return items;
  const highest = Math.max(...items.map((i) => i.level));
  const lowestOdd = Math.min(...items.map((i) => (i.level % 2 ? i.level : i.level + 1)));
  let order = items.slice();
  for (let level = highest; level >= lowestOdd; level--) {
    const out: Item[] = [];
    for (let i = 0; i < order.length;) {
      if (order[i]!.level >= level) {
        let j = i;
        while (j < order.length && order[j]!.level >= level) j++;
        out.push(...order.slice(i, j).reverse());
        i = j;
      } else out.push(order[i++]!);
    }
    order = out;
  }
  return order;
}

/**
 * Sets Dari, English and mixed paragraphs in a PDF with the Unicode bidirectional algorithm (bidi-js): words are
 * wrapped in logical order, each line's runs are put in visual order (rule L2), mirrored brackets are swapped in
 * right-to-left runs, and each run is shaped by fontkit (joined Arabic-script letters) at its place.
 */
export class BidiTypesetter {
  constructor(private readonly doc: TextCanvas) {}

  /** Draws `text` wrapped to `width`; returns the y of the next line. */
  paragraph(text: string, o: ParagraphOptions): number {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return o.y + o.lineHeight;
    const embedding = bidi.getEmbeddingLevels(clean, o.dir);
    const { levels } = embedding;
    const mirrored = bidi.getMirroredCharactersMap(clean, levels);
    // mirrored brackets in RTL runs: `(` shows as `)` on the right of the words it opens (indices are UTF-16)
    const source = clean
      .split('')
      .map((c, i) => mirrored.get(i) ?? c)
      .join('');

    // words in logical order with their offsets
    const words: { start: number; end: number; width: number }[] = [];
    for (const m of clean.matchAll(/\S+/g)) {
      const start = m.index;
      const end = start + m[0].length;
      words.push({ start, end, width: this.doc.widthOfString(m[0]) });
    }
    const space = this.doc.widthOfString(' ');

    let y = o.y;
    for (let i = 0; i < words.length;) {
      let j = i + 1;
      let width = words[i]!.width;
      while (j < words.length && width + space + words[j]!.width <= o.width) {
        width += space + words[j]!.width;
        j++;
      }
      this.line(source, levels, words[i]!.start, words[j - 1]!.end, o, y);
      y += o.lineHeight;
      i = j;
    }
    return y;
  }

  private line(text: string, levels: Uint8Array, start: number, end: number, o: ParagraphOptions, y: number) {
    const items: Item[] = [];
    for (let i = start; i < end; i++) {
      const level = levels[i]!;
      const last = items.at(-1);
      // a space ends a run so that a run never spans two words of different shaping needs
      if (last && last.level === level && text[i] !== ' ' && !last.text.endsWith(' ')) last.text += text[i];
      else items.push({ text: text[i]!, level });
    }
    const ordered = visualOrder(items);
    const widths = ordered.map((it) => this.doc.widthOfString(it.text));
    const total = widths.reduce((a, b) => a + b, 0);
    const align = o.align ?? 'start';
    const right = (o.dir === 'rtl') === (align === 'start');
    let x = align === 'center' ? o.x + (o.width - total) / 2 : right ? o.x + o.width - total : o.x;
    ordered.forEach((it, k) => {
      if (it.text !== ' ') {
        const wantRtl = it.level % 2 === 1;
        const drawn = wantRtl === fontkitIsRtl(it.text) ? it.text : [...it.text].reverse().join('');
        this.doc.text(drawn, x, y, { lineBreak: false });
      }
      x += widths[k]!;
    });
  }
}
