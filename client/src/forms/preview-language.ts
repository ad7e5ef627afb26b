import type { Lang } from '../i18n/i18n.js';

const isText = (v: unknown): v is { fa: string; en: string } =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  'fa' in v &&
  'en' in v &&
  Object.keys(v).length === 2;

/**
 * A copy of a form schema whose every `{ fa, en }` text reads as the one language (the other one where it is
 * empty), so the real rv-json-form previews the form in that language whatever the page's language is.
 */
export function inLanguage<T>(schema: T, lang: Lang): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (isText(v)) {
      const text = v[lang] || v[lang === 'fa' ? 'en' : 'fa'];
      return { fa: text, en: text };
    }
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(schema) as T;
}
