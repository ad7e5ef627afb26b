import { i18n, t, type I18nText } from '../i18n/i18n.js';
import { api } from './api.js';
import { live } from './socket.js';

interface DirectoryAnswer {
  users: Array<{ id: string; name: I18nText; active: boolean }>;
  groups: Array<{ id: string; name: I18nText; kind: string; province?: string }>;
  provinces: Array<{ code: string; name: I18nText }>;
  holidays: string[];
}

/**
 * Names for the codes the server uses: people (display name for a login), groups (directorates, units,
 * provincial offices) and provinces, in the current language; plus the office's holidays for the date picker.
 * One copy for the whole client, loaded from GET /api/directory after sign-in, reloaded on `directory:changed`
 * and after every reconnect (that event is not replayed).
 * @fires change when the names arrive or change
 */
class Directory extends EventTarget {
  private users = new Map<string, I18nText>();
  private groups = new Map<string, I18nText>();
  private provinces = new Map<string, I18nText>();
  /** Configured holidays (`YYYY-MM-DD`, Kabul). */
  holidays = new Set<string>();
  private loading: Promise<void> | undefined;
  private started = false;

  /** Starts listening to live changes (once) and loads the directory. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      live.on('directory:changed', () => void this.load());
      live.addEventListener('status', () => {
        if (live.connected) void this.load();
      });
    }
    return this.load();
  }

  /** Forgets everything (sign-out). */
  clear(): void {
    this.users.clear();
    this.groups.clear();
    this.provinces.clear();
    this.holidays.clear();
    this.dispatchEvent(new Event('change'));
  }

  load(): Promise<void> {
    this.loading ??= api
      .request<DirectoryAnswer>('GET', '/api/directory')
      .then((d) => {
        this.users = new Map(d.users.map((u) => [u.id, u.name]));
        this.groups = new Map(d.groups.map((g) => [g.id, g.name]));
        this.provinces = new Map(d.provinces.map((p) => [p.code, p.name]));
        this.holidays = new Set(d.holidays);
        this.dispatchEvent(new Event('change'));
      })
      .catch((err) => console.warn('GET /api/directory failed', err))
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** A person's display name in the current language; the login when unknown (or the system's own name). */
  userName(id: string | undefined | null): string {
    if (!id) return '';
    if (id === 'system') return t('names.system');
    return i18n.text(this.users.get(id)) || id;
  }

  /** A group's name in the current language, or its id when unknown. */
  groupName(id: string): string {
    return i18n.text(this.groups.get(id)) || id;
  }

  /** A province's name for its code (`bds` → Badakhshan / بدخشان), or the code when unknown. */
  provinceName(code: string): string {
    return i18n.text(this.provinces.get(code)) || code;
  }

  /** True when the code names a known province, group or person. */
  knows(kind: 'user' | 'group' | 'province', id: string): boolean {
    return (kind === 'user' ? this.users : kind === 'group' ? this.groups : this.provinces).has(id);
  }
}

export const directory = new Directory();
