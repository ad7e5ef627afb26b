import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { hashPassword } from '../../../server/auth/passwords.js';
import type { Config } from '../../../server/config.js';
import type { Role } from '../../../server/engine/types.js';
import type { RunningServer } from '../../../server/main.js';
import { GroupStore } from '../../../server/persistence/group-store.js';
import { UserStore } from '../../../server/persistence/user-store.js';
import { demoUsers, groups as organisationGroups } from '../../../server/seed/organisation.js';
import { startTestServer } from '../../helpers/server.js';
import { ensureClientBuilt, launchChromium } from './browser.js';

/** The password of every person a browser spec adds. */
export const PASSWORD = 'correct-horse-battery';
export const DESKTOP = { width: 1440, height: 900 };

export interface Person {
  id: string;
  /** Defaults to "کاربر <id>" / "User <id>". */
  name?: { fa: string; en: string };
  roles: Role[];
  groups: string[];
  language?: 'fa' | 'en';
}

/**
 * The built client served by the real server (fresh database, the organisation's groups) and a headless
 * Chromium: what every browser spec starts in its before() and stops in its after().
 */
export class OfficeInBrowser {
  private readonly contexts: BrowserContext[] = [];
  private passwordHash?: Promise<string>;

  private constructor(
    readonly server: RunningServer,
    readonly browser: Browser,
  ) {}

  /** Builds the client if it is stale, starts the server with `overrides`, adds the groups, launches Chromium. */
  static async start(overrides: Partial<Config> = {}): Promise<OfficeInBrowser> {
    await ensureClientBuilt();
    const server = await startTestServer(overrides);
    try {
      await new GroupStore(server.db.conn).insertMissing(organisationGroups.map((g) => ({ ...g })));
      return new OfficeInBrowser(server, await launchChromium());
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  get url(): string {
    return this.server.url;
  }

  /** Adds people who sign in with PASSWORD. */
  async addPeople(...people: Person[]): Promise<void> {
    this.passwordHash ??= hashPassword(PASSWORD);
    const passwordHash = await this.passwordHash;
    const store = new UserStore(this.server.db.conn);
    for (const p of people)
      await store.create({
        id: p.id,
        name: p.name ?? { fa: `کاربر ${p.id}`, en: `User ${p.id}` },
        passwordHash,
        roles: p.roles,
        groups: p.groups,
        language: p.language ?? 'fa',
      });
  }

  /** Adds the seed's demo users of these usernames (in Dari), each with PASSWORD. */
  addDemoUsers(usernames: string[]): Promise<void> {
    const people = demoUsers().filter((u) => usernames.includes(u.username));
    return this.addPeople(
      ...people.map((u) => ({ id: u.username, name: u.name, roles: u.roles, groups: u.groups })),
    );
  }

  /** A page in a fresh browser context (desktop-sized unless `options` say otherwise), closed by stop(). */
  async newPage(options: BrowserContextOptions = {}, label = 'browser'): Promise<Page> {
    const context = await this.browser.newContext({ viewport: DESKTOP, ...options });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[${label}]`, err));
    return page;
  }

  /** A fresh page signed in as `username` through the sign-in page. */
  async signIn(username: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await this.newPage(options, `browser ${username}`);
    await page.goto(`${this.url}/`);
    await signInOn(page, username);
    return page;
  }

  async stop(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser.close();
    await this.server.stop();
  }
}

/** Signs in as `username` on a page showing the sign-in form; waits for the signed-in shell. */
export async function signInOn(page: Page, username: string): Promise<void> {
  await page.fill('rv-sign-in input[name="username"]', username);
  await page.fill('rv-sign-in input[name="password"]', PASSWORD);
  await page.click('rv-sign-in button[type="submit"]');
  // attached, not visible: on phones the name is hidden
  await page.waitForSelector('rv-app [data-user]', { state: 'attached' });
}
