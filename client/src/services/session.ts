import { i18n } from '../i18n/i18n.js';
import { api, ApiError } from './api.js';
import { directory } from './directory.js';
import { dropEarlyResponses } from './early-requests.js';
import { live } from './socket.js';
import type { Me, Role } from './types.js';

/** A language switch whose saving has not been confirmed yet, kept across a reload (for a minute at most). */
const SAVING_KEY = 'ravand.lang.saving';
const SAVING_MS = 60_000;

interface LanguageSaving {
  user: string;
  lang: 'fa' | 'en';
}

function markLanguageSaving(saving: LanguageSaving | null): void {
  try {
    if (saving) localStorage.setItem(SAVING_KEY, JSON.stringify({ ...saving, at: Date.now() }));
    else localStorage.removeItem(SAVING_KEY);
  } catch {
    // no storage (private mode): the switch is saved as before, without the guard
  }
}

function languageSaving(): LanguageSaving | undefined {
  try {
    const mark = JSON.parse(localStorage.getItem(SAVING_KEY) ?? 'null') as
      (LanguageSaving & { at: number }) | null;
    if (!mark || Date.now() - mark.at > SAVING_MS || (mark.lang !== 'fa' && mark.lang !== 'en'))
      return undefined;
    return { user: mark.user, lang: mark.lang };
  } catch {
    return undefined;
  }
}

/**
 * Who is signed in. `load()` asks GET /api/me; the user's language preference wins over the stored one.
 * @fires change when the user signs in or out
 */
class Session extends EventTarget {
  user: Me | null = null;
  /** False until the first GET /api/me has answered. */
  ready = false;
  /** The language picked on the sign-in page: it wins over the stored preference at sign-in, and is saved. */
  private pickedBeforeSignIn: 'fa' | 'en' | undefined;

  constructor() {
    super();
    api.addEventListener('unauthenticated', () => {
      if (this.user) this.setUser(null);
    });
  }

  async load(): Promise<void> {
    try {
      let me = await api.me();
      // a switch of language still being saved when the page was left: GET /api/me (sent at once by the
      // page's boot script) may have overtaken it, so it is saved again
      const saving = languageSaving();
      if (saving?.user === me.id && me.language !== saving.lang) {
        const saved = await api.setLanguage(saving.lang).catch(() => undefined);
        // not saved again either: the mark stays (until it expires), so the next load tries once more
        if (saved) markLanguageSaving(null);
        me = saved ?? { ...me, language: saving.lang };
      } else markLanguageSaving(null);
      this.setUser(me);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) console.warn('GET /api/me failed', err);
      this.setUser(null);
    }
  }

  async signIn(username: string, password: string): Promise<void> {
    dropEarlyResponses();
    const { user } = await api.login(username, password);
    // the login answer may be shorter than /api/me; ask for the full profile
    let me = await api.me().catch(() => user);
    const picked = this.pickedBeforeSignIn;
    if (picked && me.language !== picked)
      me = await api.setLanguage(picked).catch(() => ({ ...me, language: picked }));
    this.pickedBeforeSignIn = undefined;
    this.setUser(me);
  }

  async signOut(): Promise<void> {
    dropEarlyResponses();
    try {
      await api.logout();
    } finally {
      this.setUser(null);
    }
  }

  /** Remembers the language for this user on the server (and locally at once). */
  async setLanguage(lang: 'fa' | 'en'): Promise<void> {
    i18n.setLang(lang);
    if (!this.user) this.pickedBeforeSignIn = lang;
    if (this.user) {
      this.user = { ...this.user, language: lang };
      markLanguageSaving({ user: this.user.id, lang });
      await api.setLanguage(lang).then(
        () => markLanguageSaving(null),
        (err) => console.warn('could not save the language', err),
      );
    }
  }

  /** Group ids of the signed-in user (GET /api/me gives group records). */
  groupIds(): string[] {
    return (this.user?.groups ?? []).map((g) => (typeof g === 'string' ? g : g.id));
  }

  hasRole(...roles: Role[]): boolean {
    return (
      !!this.user && (this.user.roles.includes('admin') || roles.some((r) => this.user!.roles.includes(r)))
    );
  }

  displayName(): string {
    const u = this.user;
    if (!u) return '';
    return i18n.text(u.name) || u.id;
  }

  private setUser(user: Me | null): void {
    this.user = user;
    this.ready = true;
    if (user) {
      if (user.language === 'fa' || user.language === 'en') i18n.setLang(user.language);
      live.connect();
      void directory.start();
    } else {
      live.disconnect();
      directory.clear();
    }
    this.dispatchEvent(new Event('change'));
  }
}

export const session = new Session();
