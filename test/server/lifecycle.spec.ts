import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { connectDatabase } from '../../server/persistence/database.js';
import { startEmbeddedDb } from '../../server/persistence/embedded-db.js';
import { projectRoot } from '../../server/project-root.js';
import { freshDbUri } from '../helpers/database.js';
import { spawnServer, startTestServer } from '../helpers/server.js';
import { waitUntil } from '../helpers/wait.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function embeddedInfo(output: string): { pid: number; port: number } {
  const m = /embedded database started \{"pid":(\d+),"port":(\d+)\}/.exec(output);
  if (!m) throw new Error(`no embedded database line in:\n${output}`);
  return { pid: Number(m[1]), port: Number(m[2]) };
}

describe('server/main lifecycle', () => {
  const tmpDirs: string[] = [];
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-life-'));
    tmpDirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should serve a page and a healthy /healthz', async () => {
    // given
    const server = await startTestServer();
    try {
      // when
      const health = await request(server.url).get('/healthz');
      const page = await request(server.url).get('/');
      // then
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'ok', database: 'up' });
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('روند');
    } finally {
      await server.stop();
    }
  });

  it('should answer /healthz with 503 when the database is down', async () => {
    // given: a server on a database process of its own
    const dataDir = tmp();
    const db = await startEmbeddedDb({ dataDir, cacheDir: path.join(projectRoot(), '.cache') });
    const server = await startTestServer({ mongodbUri: db.uri });
    try {
      // when
      await db.stop();
      const health = await request(server.url).get('/healthz');
      // then
      expect(health.status).to.equal(503);
      expect(health.body.database).to.equal('down');
    } finally {
      await server.stop();
    }
  });

  it('should stop the embedded database when the server gets SIGTERM', async () => {
    // given
    const proc = spawnServer({ RAVAND_DATA_DIR: tmp(), MONGODB_URI: '' });
    await proc.ready;
    const { pid } = embeddedInfo(proc.output());
    expect(alive(pid)).to.equal(true);
    // when
    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    // then
    expect(code).to.equal(0);
    expect(alive(pid), 'embedded database still running').to.equal(false);
  });

  it('should leave no database behind after SIGKILL and find the data intact on restart', async function () {
    // spawns servers and databases: 30-50 s alone, over a minute at load 16 on 2 CPUs
    this.timeout(180_000);
    // given: a running server with a document written to its database
    const dataDir = tmp();
    const first = spawnServer({ RAVAND_DATA_DIR: dataDir, MONGODB_URI: '' });
    await first.ready;
    const { pid, port } = embeddedInfo(first.output());
    const writer = await connectDatabase(`mongodb://127.0.0.1:${port}/ravand`);
    await writer.conn.collection('lifecycle_probe').insertOne({ _id: 'survivor' as never, version: 7 });
    await writer.close();
    // when
    first.child.kill('SIGKILL');
    await first.exited;
    await waitUntil(() => !alive(pid), 'the orphaned database to exit', 15_000);
    const second = spawnServer({ RAVAND_DATA_DIR: dataDir, MONGODB_URI: '' });
    try {
      await second.ready;
      const { port: port2 } = embeddedInfo(second.output());
      const reader = await connectDatabase(`mongodb://127.0.0.1:${port2}/ravand`);
      // then
      expect(
        await reader.conn.collection('lifecycle_probe').findOne({ _id: 'survivor' as never }),
      ).to.deep.include({
        version: 7,
      });
      await reader.close();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('should exit with code 1 and say so when the port is taken', async () => {
    // given
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      // when
      const proc = spawnServer({ PORT: String(port), MONGODB_URI: freshDbUri() });
      const { code } = await proc.exited;
      // then
      expect(code).to.equal(1);
      expect(proc.output()).to.contain(`Port ${port} is already in use`);
      expect(proc.output()).not.to.match(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it('should exit with code 1 and a clear message when the data folder is not writable', async function () {
    if (process.getuid?.() === 0) {
      // root writes anywhere: use a path under a regular file, which nobody can create
      const file = path.join(tmp(), 'a-file');
      fs.writeFileSync(file, '');
      const proc = spawnServer({ RAVAND_DATA_DIR: path.join(file, 'data'), MONGODB_URI: '' });
      const { code } = await proc.exited;
      expect(code).to.equal(1);
      expect(proc.output()).to.contain('is not writable');
      return;
    }
    const dir = tmp();
    fs.chmodSync(dir, 0o500);
    const proc = spawnServer({ RAVAND_DATA_DIR: dir, MONGODB_URI: '' });
    const { code } = await proc.exited;
    expect(code).to.equal(1);
    expect(proc.output()).to.contain('is not writable');
    this.test!.title += ' (chmod)';
  });
});
