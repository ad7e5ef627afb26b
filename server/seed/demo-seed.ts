import type { Database } from '../persistence/database.js';
import { GroupStore } from '../persistence/group-store.js';
import { UserStore } from '../persistence/user-store.js';
import { hashPassword, randomPassword } from '../auth/passwords.js';
import { groups as organisationGroups, demoUsers } from './organisation.js';

export interface DemoSeedResult {
  groupsAdded: number;
  usersCreated: string[];
}

/**
 * Writes the organisation's groups and the demo accounts that do not exist yet. Each new account gets a random
 * password, printed once to `out` (stdout) and stored only as an argon2id hash; existing users are never
 * touched, so a restart prints nothing and changes nothing.
 */
export async function runDemoSeed(
  db: Database,
  out: { write(text: string): unknown } = process.stdout,
): Promise<DemoSeedResult> {
  const groups = new GroupStore(db.conn);
  const users = new UserStore(db.conn);
  const groupsAdded = await groups.insertMissing(organisationGroups.map((g) => ({ ...g })));

  const existing = new Set((await users.list()).map((u) => u.id));
  const todo = demoUsers().filter((u) => !existing.has(u.username));
  const created: { username: string; password: string; roles: string[]; groups: string[] }[] = [];
  // argon2id runs on libuv's pool: a few at a time keeps the first start short
  for (let i = 0; i < todo.length; i += 4) {
    await Promise.all(
      todo.slice(i, i + 4).map(async (u) => {
        const password = randomPassword();
        const ok = await users.create({
          id: u.username,
          name: u.name,
          passwordHash: await hashPassword(password),
          roles: u.roles,
          groups: u.groups,
          language: u.language,
        });
        if (ok) created.push({ username: u.username, password, roles: u.roles, groups: u.groups });
      }),
    );
  }
  if (created.length > 0) {
    created.sort((a, b) => a.username.localeCompare(b.username));
    const width = Math.max(...created.map((c) => c.username.length));
    const lines = created.map(
      (c) => `  ${c.username.padEnd(width)}  ${c.password}  ${c.roles.join(',')}  ${c.groups.join(',')}`,
    );
    out.write(
      [
        '',
        'Demo accounts created (passwords are shown only this once; change them after signing in):',
        'حساب‌های نمایشی ساخته شد (رمزها فقط همین یک بار نشان داده می‌شوند؛ پس از ورود آن‌ها را تغییر دهید):',
        ...lines,
        '',
      ].join('\n') + '\n',
    );
  }
  return { groupsAdded, usersCreated: created.map((c) => c.username) };
}
