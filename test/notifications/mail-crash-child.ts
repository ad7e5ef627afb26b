/**
 * A Ravand server for the mail crash spec (run by runCrashChild): the real `startRavand` on CRASH_DB_URI, mailing
 * through CRASH_SMTP_URL. Phase 1 sets up two users of plan-policy with mail at once and starts an instance whose
 * task is offered to both, then waits to be killed; phase 2 only runs (it sends what the outbox holds).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { startRavand } from '../../server/main.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { UserStore } from '../../server/persistence/user-store.js';
import { NotificationSettingsStore } from '../../server/persistence/notification-settings-store.js';
import { projectRoot } from '../../server/project-root.js';

const phase = process.env.CRASH_PHASE;
const server = await startRavand({
  ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', MONGODB_URI: undefined }),
  mongodbUri: process.env.CRASH_DB_URI!,
  demoSeed: false,
  backupTime: '',
  logLevel: 'warn',
  smtpUrl: process.env.CRASH_SMTP_URL!,
  publicUrl: 'http://ravand.test',
});
if (phase === '1') {
  const admin = { id: 'setup', groups: [], roles: ['admin' as const] };
  const xml = fs.readFileSync(path.join(projectRoot(), 'test/fixtures/http/http-plain-task.bpmn'), 'utf8');
  await server.runtime.deploy(xml, admin);
  const users = new UserStore(server.db.conn);
  const settings = new NotificationSettingsStore(server.db.conn);
  const passwordHash = await hashPassword('correct-horse-battery');
  for (const [id, language] of [
    ['amina', 'fa'],
    ['bashir', 'en'],
  ] as const) {
    await users.create({
      id,
      name: { fa: id, en: id },
      passwordHash,
      roles: ['staff'],
      groups: ['plan-policy'],
      language,
    });
    await settings.set(id, { email: `${id}@ecc.test`, mode: 'immediate' });
  }
  const instance = await server.runtime.start({ key: 'http-plain-task' }, admin);
  process.stdout.write(`STARTED ${instance.id}\n`);
} else {
  process.stdout.write('READY\n');
}
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
