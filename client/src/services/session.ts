import { i18n } from '../i18n/i18n.js';
import { api, ApiError } from './api.js';
import { directory } from './directory.js';
import { dropEarlyResponses } from './early-requests.js';
import { live } from './socket.js';
import type { Me, Role } from './types.js';

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
      this.setUser(await api.me());
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
      await api.setLanguage(lang).catch((err) => console.warn('could not save the language', err));
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
