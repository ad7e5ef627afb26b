import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { projectRoot } from '../../server/project-root.js';
import { adminPassword, signInTo } from '../helpers/process-client.js';
import { spawnServer, type ServerProcess } from '../helpers/server.js';
import { waitUntil } from '../helpers/wait.js';

function embeddedInfo(output: string): { pid: number; port: number } {
  const m = /embedded database started \{"pid":(\d+),"port":(\d+)\}/.exec(output);
  if (!m) throw new Error(`no embedded database line in:\n${output}`);
  return { pid: Number(m[1]), port: Number(m[2]) };
}

describe('persistence/embedded-db-supervisor (through the server process)', () => {
  const tmpDirs: string[] = [];
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-sup-'));
    tmpDirs.push(dir);
    return dir;
  };
  let proc: ServerProcess | undefined;
  afterEach(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    proc = undefined;
  });
  after(() => {
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should restart a database killed under load, answer only 503 meanwhile and lose nothing acknowledged', async function () {
    // spawns servers and databases: 30-50 s alone, over a minute at load 16 on 2 CPUs
    this.timeout(180_000);
    // given: a server with the demo seed, a deployed process and a stream of starts
    proc = spawnServer({ RAVAND_DATA_DIR: tmp(), MONGODB_URI: '', RAVAND_DEMO_SEED: 'true' });
    const url = await proc.ready;
    const admin = await signInTo(url, 'admin', adminPassword(proc.output()));
    const xml = fs.readFileSync(path.join(projectRoot(), 'test', 'fixtures', 'engine-bench.bpmn'), 'utf8');
    expect((await admin.post('/api/definitions', xml, 'application/xml')).status).to.be.oneOf([200, 201]);
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const res = await admin.post('/api/instances', { key: 'engine-bench' });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) acknowledged.push((res.body as { id: string }).id);
        else if (res.status === 503) await new Promise((resolve) => setTimeout(resolve, 50));
        else {
          stop = true;
          throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`);
        }
      }
    };
    const workers = [worker(), worker(), worker()];
    await waitUntil(() => acknowledged.length >= 15, 'starts before the kill', 30_000);
    const { pid } = embeddedInfo(proc.output());
    // when
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await waitUntil(
      async () =>
        proc!.output().includes('the embedded database was restarted') &&
        (await request(url).get('/healthz')).status === 200,
      'the database back',
      20_000,
    );
    const backAt = Date.now();
    const before = acknowledged.length;
    await waitUntil(() => acknowledged.length >= before + 10, 'starts after the restart', 20_000).catch(
      (err: Error) => {
        // what the server said meanwhile, to tell a slow recovery from a stuck one
        const tail = proc!.output().split('\n').slice(-40).join('\n');
        err.message += ` (${acknowledged.length - before} of 10; answers ${JSON.stringify([...statuses])})\n${tail}`;
        throw err;
      },
    );
    stop = true;
    await Promise.all(workers);
    // then
    expect(
      [...statuses.keys()].every((s) => s === 201 || s === 503),
      JSON.stringify([...statuses]),
    ).to.equal(true);
    expect(proc.output()).to.match(/ERROR the embedded database exited unexpectedly/);
    expect(proc.output()).to.contain('the embedded database was restarted');
    expect(backAt - killedAt, 'database back and serving').to.be.below(5000);
    for (const id of acknowledged) {
      const res = await admin.get(`/api/instances/${id}`);
      expect(res.status, `instance ${id}`).to.equal(200);
    }
  });

  it('should exit non-zero after the restarts fail, and name the damaged file', async () => {
    // given: a running server whose database file gets damaged
    const dataDir = tmp();
    proc = spawnServer({
      RAVAND_DATA_DIR: dataDir,
      MONGODB_URI: '',
      RAVAND_DEMO_SEED: 'false',
      RAVAND_DB_MAX_RESTARTS: '2',
    });
    await proc.ready;
    const { pid } = embeddedInfo(proc.output());
    const file = fs.readdirSync(path.join(dataDir, 'db')).find((f) => f.endsWith('.sqlite'))!;
    // when
    process.kill(pid, 'SIGKILL');
    fs.writeFileSync(path.join(dataDir, 'db', file), 'this is not a database at all, just text');
    const { code } = await proc.exited;
    // then
    expect(code).to.equal(2);
    // the first process dying is not a failed restart: RAVAND_DB_MAX_RESTARTS (2) restarts are tried
    expect(proc.output().match(/restarting the embedded database failed/g)).to.have.length(2);
    expect(proc.output()).to.contain(path.join(dataDir, 'db', file));
    expect(proc.output()).to.contain('npm run restore');
  });

  it('should refuse to start on a damaged database file with a bilingual message naming it', async () => {
    // given
    const dataDir = tmp();
    fs.mkdirSync(path.join(dataDir, 'db'), { recursive: true });
    const file = path.join(dataDir, 'db', 'ravand.sqlite');
    fs.writeFileSync(file, Buffer.alloc(4096, 7));
    // when
    proc = spawnServer({ RAVAND_DATA_DIR: dataDir, MONGODB_URI: '' });
    const { code } = await proc.exited;
    // then
    expect(code).to.equal(1);
    expect(proc.output()).to.contain(file);
    expect(proc.output()).to.contain('restore');
    expect(proc.output()).to.contain('پشتیبان');
    expect(proc.output()).not.to.match(/\n\s+at /);
  });

  it('should shut down within 2 s when the database is down', async () => {
    // given: a server whose database process is stopped and damaged so it cannot come back
    const dataDir = tmp();
    proc = spawnServer({ RAVAND_DATA_DIR: dataDir, MONGODB_URI: '', RAVAND_DEMO_SEED: 'false' });
    const url = await proc.ready;
    const { pid } = embeddedInfo(proc.output());
    const file = fs.readdirSync(path.join(dataDir, 'db')).find((f) => f.endsWith('.sqlite'))!;
    process.kill(pid, 'SIGKILL');
    fs.writeFileSync(path.join(dataDir, 'db', file), 'damaged');
    await waitUntil(async () => (await request(url).get('/healthz')).status === 503, 'health 503');
    // when
    const t0 = Date.now();
    proc.child.kill('SIGTERM');
    await proc.exited;
    // then
    expect(Date.now() - t0).to.be.below(2000);
  });
});
