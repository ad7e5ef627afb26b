import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { BackupScheduler, nextKabulTime } from '../../server/persistence/backup-scheduler.js';
import { createBackup, RestoreError, restoreBackup, sha256File } from '../../server/persistence/backup.js';
import { connectDatabase } from '../../server/persistence/database.js';
import { projectRoot } from '../../server/project-root.js';
import { runCli } from '../helpers/cli.js';
import { freshDbUri } from '../helpers/database.js';
import { adminPassword, signInTo } from '../helpers/process-client.js';
import { spawnServer, type ServerProcess } from '../helpers/server.js';
import { waitUntil } from '../helpers/wait.js';

describe('persistence/backup', () => {
  const tmpDirs: string[] = [];
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-backup-spec-'));
    tmpDirs.push(dir);
    return dir;
  };
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
    }
  });
  after(() => {
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should back up during a write-heavy run and restore into an empty database everything acknowledged before it, audit verified', async function () {
    // three server processes and a database snapshot: slow on a busy machine
    this.timeout(240_000);
    // given: a running server under a stream of starts and completions
    const dataDir = tmp();
    const server = spawnServer({ RAVAND_DATA_DIR: dataDir, MONGODB_URI: '', RAVAND_DEMO_SEED: 'true' });
    servers.push(server);
    const url = await server.ready;
    const password = adminPassword(server.output());
    const admin = await signInTo(url, 'admin', password);
    const xml = fs.readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'engine-bench.bpmn'), 'utf8');
    expect((await admin.post('/api/definitions', xml, 'application/xml')).status).to.be.oneOf([200, 201]);
    const acknowledged: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const res = await admin.post('/api/instances', { key: 'engine-bench' });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        acknowledged.push((res.body as { id: string }).id);
      }
    };
    const workers = [worker(), worker(), worker()];
    await waitUntil(() => acknowledged.length >= 30, 'starts before the backup', 30_000);
    // when: the backup runs while the workers keep writing
    const before = [...acknowledged];
    const file = path.join(tmp(), 'during-load.ndjson.gz');
    const backup = await runCli('backup', [file], { RAVAND_DATA_DIR: dataDir, MONGODB_URI: '' });
    const duringBackup = acknowledged.length - before.length;
    stop = true;
    await Promise.all(workers);
    // then: the file is a checksummed gzip
    expect(backup.code, backup.out).to.equal(0);
    expect(fs.readFileSync(`${file}.sha256`, 'utf8')).to.match(/^[0-9a-f]{64} {2}during-load\.ndjson\.gz\n$/);
    expect(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n', 1)[0]).to.contain(
      '"ravandBackup":1',
    );
    expect(duringBackup, 'writes went on during the backup').to.be.greaterThan(0);
    // and it restores into an empty database with the audit chain verified
    const restoredDir = tmp();
    const restore = await runCli('restore', [file], { RAVAND_DATA_DIR: restoredDir, MONGODB_URI: '' });
    expect(restore.code, restore.out).to.equal(0);
    expect(restore.out).to.match(/audit chain verified \(\d+ entries\)/);
    // and a server on it has every instance acknowledged before the backup, and recovers every one it holds
    const restored = spawnServer({
      RAVAND_DATA_DIR: restoredDir,
      MONGODB_URI: '',
      RAVAND_DEMO_SEED: 'false',
    });
    servers.push(restored);
    const restoredUrl = await restored.ready;
    const client = await signInTo(restoredUrl, 'admin', password);
    for (const id of before) expect((await client.get(`/api/instances/${id}`)).status, id).to.equal(200);
    const verify = await client.get('/api/audit/verify');
    expect(verify.body.ok).to.equal(true);
    const list = await client.get('/api/instances?key=engine-bench&limit=200');
    const held = (list.body as { items: { id: string }[] }).items.map((i) => i.id);
    expect(
      held.every((id) => acknowledged.includes(id)),
      'only acknowledged instances',
    ).to.equal(true);
    for (const id of held) {
      const tasks = await client.get(`/api/tasks?view=all&instanceId=${id}`);
      expect((tasks.body as { items: unknown[] }).items, `the open task of ${id}`).to.have.length(1);
    }
  });

  it('should refuse a damaged backup and a database that is not empty, with a bilingual message', async () => {
    // given: a backup of a small database
    const uri = freshDbUri();
    const db = await connectDatabase(uri);
    await db.conn.collection('probe').insertMany([
      { _id: 'a' as never, n: 1 },
      { _id: 'b' as never, n: 2 },
    ]);
    const file = path.join(tmp(), 'small.ndjson.gz');
    const result = await createBackup({ kind: 'mongodb', uri }, file);
    expect(result.documents).to.be.at.least(2);
    try {
      // when: restoring into the same, non-empty database
      const notEmpty = await restoreBackup(file, db).catch((err: unknown) => err);
      // and restoring a changed file into an empty one
      const empty = await connectDatabase(freshDbUri());
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 10] ^= 0xff;
      fs.writeFileSync(file, bytes);
      const damaged = await restoreBackup(file, empty).catch((err: unknown) => err);
      const leftBehind = await empty.conn.collection('probe').countDocuments();
      await empty.close();
      // then
      expect(notEmpty).to.be.instanceOf(RestoreError);
      expect((notEmpty as Error).message)
        .to.contain('not empty')
        .and.contain('خالی نیست');
      expect(damaged).to.be.instanceOf(RestoreError);
      expect((damaged as Error).message).to.contain('checksum');
      expect(leftBehind).to.equal(0);
    } finally {
      await db.close();
    }
  });

  it('should refuse a backup cut short before its counts even when its checksum was rewritten', async () => {
    // given: a backup whose last line (the counts) is cut off, with a checksum that matches the cut file
    const uri = freshDbUri();
    const db = await connectDatabase(uri);
    await db.conn.collection('probe').insertMany([{ _id: 'a' as never }, { _id: 'b' as never }]);
    const file = path.join(tmp(), 'cut.ndjson.gz');
    await createBackup({ kind: 'mongodb', uri }, file);
    await db.close();
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    expect(lines.at(-2)).to.match(/^\{"collections":\{.*"probe":2/);
    fs.writeFileSync(file, zlib.gzipSync(`${lines.slice(0, -2).join('\n')}\n`));
    fs.writeFileSync(`${file}.sha256`, `${await sha256File(file)}  cut.ndjson.gz\n`);
    // when
    const empty = await connectDatabase(freshDbUri());
    const cut = await restoreBackup(file, empty).catch((err: unknown) => err);
    await empty.close();
    // then
    expect(cut).to.be.instanceOf(RestoreError);
    expect((cut as Error).message).to.contain('incomplete');
  });

  it('should run the scheduled backup at its Kabul time and keep only the newest files', async () => {
    // given: the clock 300 ms before 02:00 in Kabul (21:30 UTC), three earlier backups in the folder
    const uri = freshDbUri();
    const db = await connectDatabase(uri);
    await db.conn.collection('probe').insertOne({ _id: 'x' as never });
    const dir = tmp();
    const dayBefore = new Date('2026-12-03T21:30:00Z');
    let clock = dayBefore;
    const scheduler = new BackupScheduler(
      { kind: 'mongodb', uri },
      { dir, time: '02:00', keep: 2, now: () => clock },
    );
    for (const minutes of [0, 1, 2]) {
      clock = new Date(dayBefore.getTime() + minutes * 60_000);
      await scheduler.runNow();
    }
    expect(scheduler.list()).to.have.length(2);
    const start = Date.now();
    clock = new Date(Date.parse('2026-12-04T21:30:00Z') - 300);
    // when
    scheduler.start();
    await waitUntil(
      () => scheduler.list().some((b) => b.file.includes('20261204T212959Z')),
      'the scheduled backup',
    );
    scheduler.stop();
    await db.close();
    // then: it ran on time, and the oldest were removed
    expect(Date.now() - start).to.be.below(10_000);
    const files = scheduler.list().map((b) => path.basename(b.file));
    expect(files).to.have.length(2);
    expect(files[0]).to.equal('ravand-20261204T212959Z.ndjson.gz');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.sha256'))).to.have.length(2);
  });

  it('should find the next Kabul time across midnight and the day boundary', () => {
    expect(nextKabulTime('02:00', new Date('2026-12-04T10:00:00Z')).toISOString()).to.equal(
      '2026-12-04T21:30:00.000Z',
    );
    expect(nextKabulTime('02:00', new Date('2026-12-04T21:30:00Z')).toISOString()).to.equal(
      '2026-12-05T21:30:00.000Z',
    );
    expect(nextKabulTime('23:45', new Date('2026-12-04T19:00:00Z')).toISOString()).to.equal(
      '2026-12-04T19:15:00.000Z',
    );
  });
});
