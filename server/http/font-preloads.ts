import fs from 'node:fs';
import path from 'node:path';

/**
 * The faces of Vazirmatn each language's pages draw with (measured on sign-in and the inbox): a Dari page
 * sets Arabic script in regular, semibold and bold and Latin (references, numbers in English) in regular and
 * semibold; an English page the reverse, with the language button's «دری» in Arabic regular.
 */
export const FONT_FACES: Readonly<Record<'fa' | 'en', readonly string[]>> = {
  fa: ['arabic-400', 'arabic-600', 'arabic-700', 'latin-400', 'latin-600'],
  en: ['latin-400', 'latin-600', 'latin-700', 'arabic-400'],
};

/**
 * The built font files (`/assets/vazirmatn-<subset>-<weight>-normal-<hash>.woff2`) to preload per language:
 * the shell's boot script (client/index.html) preloads those of the page's language as soon as it runs,
 * instead of when the stylesheet is applied and the text laid out (about a second later on a slow link).
 */
export function fontPreloads(dir: string): Record<'fa' | 'en', string[]> {
  const assets = path.join(dir, 'assets');
  const files = fs.existsSync(assets) ? fs.readdirSync(assets).filter((f) => f.endsWith('.woff2')) : [];
  const find = (face: string) => files.find((f) => f.startsWith(`vazirmatn-${face}-normal-`));
  const urls = (faces: readonly string[]) => faces.map(find).flatMap((f) => (f ? [`/assets/${f}`] : []));
  return { fa: urls(FONT_FACES.fa), en: urls(FONT_FACES.en) };
}
