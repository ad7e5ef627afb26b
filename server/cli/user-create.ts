/**
 * `npm run user:create -- --admin` creates the first administrator. Options:
 *   --username <id>      login name (default `admin` with --admin)
 *   --admin              give the admin role
 *   --roles a,b          roles (admin, manager, staff, leadership, auditor)
 *   --groups g1,g2       group ids
 *   --name-fa <text> --name-en <text>
 *   --password-stdin     read the password from standard input (otherwise a random one is printed once)
 * Uses MONGODB_URI, or the embedded database in RAVAND_DATA_DIR (stop the server first).
 */
import { parseArgs } from 'node:util';
import { assertStrongPassword, hashPassword, randomPassword } from '../auth/passwords.js';
import { loadConfig } from '../config.js';
import type { Role } from '../engine/types.js';
import { registerHttpModels } from '../persistence/http-models.js';
import { GroupStore } from '../persistence/group-store.js';
import { UserStore } from '../persistence/user-store.js';
import { connectCliDatabase } from './cli-database.js';

const ROLES: Role[] = ['admin', 'manager', 'staff', 'leadership', 'auditor'];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      admin: { type: 'boolean', default: false },
      roles: { type: 'string' },
      groups: { type: 'string' },
      'name-fa': { type: 'string' },
      'name-en': { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const username = (values.username ?? (values.admin ? 'admin' : '')).toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) {
    process.stderr.write('user:create: give --username (a-z, 0-9, . _ -; 2 to 64 characters) or --admin\n');
    return 2;
  }
  const roles = new Set<Role>((values.roles ?? '').split(',').filter(Boolean) as Role[]);
  if (values.admin) roles.add('admin');
  const unknownRoles = [...roles].filter((r) => !ROLES.includes(r));
  if (roles.size === 0 || unknownRoles.length > 0) {
    process.stderr.write(`user:create: roles must be some of ${ROLES.join(', ')}\n`);
    return 2;
  }
  const groups = (values.groups ?? '').split(',').filter(Boolean);
  let password: string;
  let generated = false;
  if (values['password-stdin']) {
    password = await readStdin();
  } else {
    password = randomPassword();
    generated = true;
  }
  try {
    assertStrongPassword(password);
  } catch {
    process.stderr.write(
      'user:create: the password must have at least 10 characters / رمز باید حداقل ۱۰ حرف باشد\n',
    );
    return 2;
  }

  const db = await connectCliDatabase(loadConfig());
  try {
    registerHttpModels(db.conn);
    await db.ensureIndexes();
    const known = new Set((await new GroupStore(db.conn).list()).map((g) => g.id));
    const unknownGroups = groups.filter((g) => !known.has(g));
    if (unknownGroups.length > 0) {
      process.stderr.write(`user:create: unknown groups: ${unknownGroups.join(', ')}\n`);
      return 2;
    }
    const created = await new UserStore(db.conn).create({
      id: username,
      name: { fa: values['name-fa'] ?? username, en: values['name-en'] ?? username },
      passwordHash: await hashPassword(password),
      roles: [...roles],
      groups,
      language: 'fa',
    });
    if (!created) {
      process.stderr.write(`user:create: "${username}" exists already; nothing was changed\n`);
      return 1;
    }
    process.stdout.write(`created ${username} (${[...roles].join(', ')})\n`);
    if (generated) process.stdout.write(`password (shown once): ${password}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`user:create: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
