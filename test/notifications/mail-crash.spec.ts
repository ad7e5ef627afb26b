import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { connectDatabase, type Database } from '../../server/persistence/database.js';
import { projectRoot } from '../../server/project-root.js';
import { freshDbUri } from '../helpers/database.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';
import { waitUntil } from '../helpers/wait.js';
import { runCrashChild } from '../engine/runtime-harness.js';

const CHILD = path.join(projectRoot(), 'test', 'notifications', 'mail-crash-child.ts');

interface OutboxRow {
  _id: string;
  entry: string;
}

/** A loopback port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The outbox entries of the database, parsed. */
async function outbox(db: Database): Promise<{ id: string; state: string; attempts: number }[]> {
  const rows = (await db.conn.collection('mail_outbox').find({}).toArray()) as unknown as OutboxRow[];
  return rows.map((r) => JSON.parse(r.entry) as { id: string; state: string; attempts: number });
}

async function outcomes(db: Database): Promise<Map<string, string>> {
  const rows = await db.conn.collection('mail_sent').find({}).toArray();
  return new Map(rows.map((r) => [String(r._id), String(r.outcome)]));
}

describe('notifications/mail-sender (kill -9 around sending)', function () {
  this.timeout(240_000);
  const dbs: Database[] = [];
  const servers: { close(): Promise<void> }[] = [];

  after(async () => {
    for (const db of dbs) {
      await db.conn.dropDatabase().catch(() => undefined);
      await db.close();
    }
    for (const s of servers) await s.close().catch(() => undefined);
  });

  it('should send each queued mail exactly once after a kill -9 between queueing and sending', async () => {
    // given a server whose SMTP server is down: the two mails of an offered task wait in the outbox
    const uri = freshDbUri();
    const port = await freePort();
    process.env.CRASH_SMTP_URL = `smtp://127.0.0.1:${port}`;
    const first = runCrashChild(CHILD, '1', uri);
    await first.line('STARTED ');
    const db = await connectDatabase(uri);
    dbs.push(db);
    await waitUntil(
      async () => {
        const rows = await outbox(db);
        return rows.length === 2 && rows.every((r) => r.state === 'pending' && r.attempts >= 1);
      },
      'two queued mails after a failed attempt',
      30_000,
    );
    // when it is killed outright, the SMTP server comes up and a new server starts on the same database
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).to.equal('SIGKILL');
    const smtp: SmtpInbox = await startSmtpInbox(port);
    servers.push(smtp);
    const second = runCrashChild(CHILD, '2', uri);
    await second.line('READY');
    // then both arrive, and once the outbox is empty nothing else can: each exactly once
    await smtp.waitFor(2, 30_000);
    await waitUntil(async () => (await outbox(db)).length === 0, 'an empty outbox', 30_000);
    const done = await outcomes(db);
    expect([...done.values()]).to.deep.equal(['sent', 'sent']);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(smtp.mails).to.have.length(2);
    expect(new Set(smtp.mails.map((m) => m.to && !Array.isArray(m.to) && m.to.text))).to.deep.equal(
      new Set(['amina@ecc.test', 'bashir@ecc.test']),
    );
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).to.equal(2);
  });

  it('should never send again a mail that was being sent when the server was killed', async () => {
    // given an SMTP server that reads mail but never answers: the sender waits inside the exchange
    const uri = freshDbUri();
    let received = 0;
    const hanging = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream) {
        stream.on('end', () => received++);
        stream.resume();
      },
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    servers.push({ close: () => new Promise<void>((resolve) => hanging.close(() => resolve())) });
    process.env.CRASH_SMTP_URL = `smtp://127.0.0.1:${(hanging.server.address() as net.AddressInfo).port}`;
    const first = runCrashChild(CHILD, '1', uri);
    await first.line('STARTED ');
    const db = await connectDatabase(uri);
    dbs.push(db);
    await waitUntil(() => received >= 1, 'a mail handed to the SMTP server', 30_000);
    const sending = (await outbox(db)).filter((r) => r.state === 'sending');
    expect(sending).to.have.length(1);
    // when the server is killed in the middle of that exchange and started again with a working SMTP server
    first.child.kill('SIGKILL');
    await first.exited;
    const smtp = await startSmtpInbox();
    servers.push(smtp);
    process.env.CRASH_SMTP_URL = smtp.url;
    const second = runCrashChild(CHILD, '2', uri);
    await second.line('READY');
    await waitUntil(async () => (await outbox(db)).length === 0, 'an empty outbox', 30_000);
    second.child.kill('SIGTERM');
    await second.exited;
    // then the interrupted mail is recorded as uncertain and not sent again; the other one is sent once
    const done = await outcomes(db);
    expect(done.get(sending[0]!.id)).to.equal('uncertain');
    expect([...done.values()].sort()).to.deep.equal(['sent', 'uncertain']);
    expect(smtp.mails).to.have.length(1);
    expect(smtp.mails[0]!.headers.get('x-ravand-notification')).not.to.equal(sending[0]!.id);
  });
});
