import { en, fa, type MessageKey } from './catalogue.js';

export type Lang = 'fa' | 'en';
export type { MessageKey };

/** A label in both product languages (as the server sends names). */
export interface I18nText {
  fa: string;
  en: string;
}

const catalogues: Record<Lang, Record<MessageKey, string>> = { fa, en };
const STORAGE_KEY = 'ravand.lang';

/**
 * The current language and the message lookup. Dari (right-to-left) is the default; the choice is kept in
 * localStorage until the signed-in user's preference (from GET /api/me) replaces it.
 * @fires change when the language changes
 */
class I18n extends EventTarget {
  lang: Lang = readStoredLang();

  get dir(): 'rtl' | 'ltr' {
    return this.lang === 'fa' ? 'rtl' : 'ltr';
  }

  /** Switches language and mirrors it on <html lang dir>. */
  setLang(lang: Lang): void {
    const changed = lang !== this.lang;
    this.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // storage may be unavailable (private mode); the choice still applies to this page
    }
    applyToDocument(lang);
    if (changed) this.dispatchEvent(new Event('change'));
  }

  /** A catalogue message with `{name}` placeholders filled in; numbers in Dari use Dari digits. */
  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    const template = catalogues[this.lang][key] ?? en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const value = params[name];
      if (value === undefined) return `{${name}}`;
      return typeof value === 'number' ? this.number(value) : value;
    });
  }

  /** The same message in both languages (client-side validation keeps both, like server messages). */
  pair(key: MessageKey, params: Record<string, string | number> = {}): I18nText {
    const fill = (lang: Lang) =>
      (catalogues[lang][key] ?? key).replace(/\{(\w+)\}/g, (_m, name: string) => {
        const value = params[name];
        if (value === undefined) return `{${name}}`;
        return typeof value === 'number'
          ? new Intl.NumberFormat(lang === 'fa' ? 'fa-AF' : 'en-GB').format(value)
          : value;
      });
    return { fa: fill('fa'), en: fill('en') };
  }

  /** Picks the current language from a `{ fa, en }` pair, falling back to the other one. */
  text(value: I18nText | string | undefined | null): string {
    if (value == null) return '';
    if (typeof value === 'string') return value;
    return value[this.lang] || value.fa || value.en || '';
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.lang === 'fa' ? 'fa-AF' : 'en-GB', options).format(value);
  }
}

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'fa') return stored;
  } catch {
    // no storage: default language
  }
  return 'fa';
}

function applyToDocument(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'fa' ? 'rtl' : 'ltr';
}

export const i18n = new I18n();
applyToDocument(i18n.lang);

/** Shorthand for `i18n.t`. */
export const t = (key: MessageKey, params?: Record<string, string | number>): string => i18n.t(key, params);
