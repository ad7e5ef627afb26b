import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { groups, provinces } from '../seed/organisation.js';
import { letterDate, persianDigits } from './letter-dates.js';

/** One language of a letter template (`processes/letters/<kind>.json`). */
export interface LetterText {
  title: string;
  to: string;
  subject: string;
  body: string[];
  closing: string;
  signatory: { name: string; title: string };
}

/** A letter template: which register numbers it, and its text in Dari and English with `{variable}` slots. */
export interface LetterTemplate {
  kind: string;
  duty: number;
  /** The group whose register numbers the letter (per Solar Hijri year). */
  directorate: string;
  /** Prefix of the official number, e.g. `FR` → `FR-1405-0007`. */
  prefix: string;
  fa: LetterText;
  en: LetterText;
  /** Words for coded values of a slot, e.g. `quarter`: `q3` → "ربع سوم" / "third quarter". */
  labels?: Record<string, Record<string, { fa: string; en: string }>>;
}

/** The kinds of official letters the office issues. */
export const LETTER_KINDS = [
  'trip-authorization',
  'support-letter',
  'policy-approval-notice',
  'information-response',
  'sop-audit-report',
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

const cache = new Map<string, LetterTemplate>();

/** The template of `kind` from `processes/letters/` (read once). */
export function letterTemplate(
  kind: string,
  dir = path.join(projectRoot(), 'processes', 'letters'),
): LetterTemplate {
  let t = cache.get(`${dir}|${kind}`);
  if (!t) {
    if (!(LETTER_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown letter kind "${kind}"`);
    t = JSON.parse(fs.readFileSync(path.join(dir, `${kind}.json`), 'utf8')) as LetterTemplate;
    cache.set(`${dir}|${kind}`, t);
  }
  return t;
}

const namesById = new Map<string, { fa: string; en: string }>([
  ...groups.map((g) => [g.id, g.name] as const),
  ...provinces.map((p) => [p.code, p.name] as const),
]);

/** A variable as a letter shows it: names for group and province ids, letter dates, localized numbers. */
export function formatValue(value: unknown, lang: 'fa' | 'en'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return lang === 'fa'
      ? persianDigits(value.toLocaleString('en-US')).replace(/,/g, '٬')
      : value.toLocaleString('en-US');
  if (typeof value === 'boolean') return lang === 'fa' ? (value ? 'بلی' : 'نخیر') : value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) return letterDate(value, lang);
    const named = namesById.get(value);
    return named ? named[lang] : value;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) =>
      v && typeof v === 'object' && 'name' in v
        ? formatValue((v as { name: unknown }).name, lang)
        : formatValue(v, lang),
    );
    return items.filter(Boolean).join(lang === 'fa' ? '، ' : ', ');
  }
  if (typeof value === 'object' && 'fa' in value && 'en' in value)
    return String((value as Record<string, unknown>)[lang]);
  return '';
}

/** A slot's text: the template's label for a coded value, a year without digit grouping, else formatValue. */
function slotText(name: string, value: unknown, lang: 'fa' | 'en', labels: LetterTemplate['labels']): string {
  const label = typeof value === 'string' ? labels?.[name]?.[value] : undefined;
  if (label) return label[lang];
  // a number typed as text (a resolution number) reads in the letter's digits
  if (lang === 'fa' && typeof value === 'string' && /^\d+$/.test(value)) return persianDigits(value);
  if (/(^y|Y)ear$/.test(name) && typeof value === 'number' && Number.isInteger(value))
    return lang === 'fa' ? persianDigits(String(value)) : String(value);
  return formatValue(value, lang);
}

/** Fills `{name}` slots from `variables`; a slot without a value becomes empty, and an empty paragraph is left out. */
export function fillText(
  text: LetterText,
  variables: Readonly<Record<string, unknown>>,
  lang: 'fa' | 'en',
  labels?: LetterTemplate['labels'],
): LetterText {
  const fill = (s: string) =>
    s
      .replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_, name: string) =>
        slotText(name, variables[name], lang, labels),
      )
      .trim();
  return {
    title: fill(text.title),
    to: fill(text.to),
    subject: fill(text.subject),
    body: text.body.map(fill).filter(Boolean),
    closing: fill(text.closing),
    signatory: { name: fill(text.signatory.name), title: fill(text.signatory.title) },
  };
}
