import { expect } from 'chai';
import { userModel } from '../../server/persistence/user-store.js';
import { runDemoSeed } from '../../server/seed/demo-seed.js';
import { demoUsers, groups } from '../../server/seed/organisation.js';
import { runCli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/database.js';
import { ApiClient, startHarness, type Harness } from './harness.js';

describe('seed/demo-seed and cli/user-create', () => {
  let h: Harness;
  let printed = '';
  const out = { write: (text: string) => (printed += text) };

  before(async function () {
    this.timeout(120_000);
    h = await startHarness();
  });

  after(async () => {
    await h.close();
  });

  it('should create the groups and demo users, printing each password once and storing only hashes', async function () {
    this.timeout(120_000);
    // when
    const result = await runDemoSeed(h.db, out);
    // then
    expect(result.groupsAdded).to.equal(groups.length);
    expect((await h.groups.list()).filter((g) => g.kind === 'province')).to.have.length(34);
    expect(result.usersCreated).to.have.members(demoUsers().map((u) => u.username));
    const line = printed.split('\n').find((l) => l.trim().startsWith('admin '))!;
    const password = line.trim().split(/\s+/)[1]!;
    const stored = JSON.stringify(await userModel(h.db.conn).find().lean());
    expect(stored).not.to.include(password);
    expect(stored).to.include('$argon2id$');
    const client = new ApiClient(h.url);
    const me = await client.login('admin', password);
    expect(me.body.user.roles).to.deep.equal(['admin']);
  });

  it('should change nothing and print nothing on the next start', async () => {
    // given
    const before = await userModel(h.db.conn).find().sort({ _id: 1 }).lean();
    printed = '';
    // when
    const result = await runDemoSeed(h.db, out);
    // then
    expect(result).to.deep.equal({ groupsAdded: 0, usersCreated: [] });
    expect(printed).to.equal('');
    expect(await userModel(h.db.conn).find().sort({ _id: 1 }).lean()).to.deep.equal(before);
  });

  it('should create the first administrator from the command line, once', async function () {
    this.timeout(120_000);
    // given
    const db = await openTestDatabase();
    try {
      // when
      const first = await runCli(
        'user-create',
        ['--admin', '--password-stdin'],
        { MONGODB_URI: db.uri },
        'a-long-admin-password\n',
      );
      const again = await runCli('user-create', ['--admin'], { MONGODB_URI: db.uri });
      const weak = await runCli(
        'user-create',
        ['--username', 'x1', '--roles', 'staff', '--password-stdin'],
        { MONGODB_URI: db.uri },
        'short',
      );
      // then
      expect(first.code, first.out).to.equal(0);
      expect(first.out).to.include('created admin');
      expect(again.code).to.equal(1);
      expect(again.out).to.include('exists already');
      expect(weak.code).to.equal(2);
      const admin = await userModel(db.conn).findById('admin').lean();
      expect(admin?.roles).to.deep.equal(['admin']);
      expect(admin?.passwordHash).to.match(/^\$argon2id\$/);
    } finally {
      await db.drop();
    }
  });
});
