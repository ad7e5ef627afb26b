import { expect } from 'chai';
import type { Server as SocketServer } from 'socket.io';
import { SeqTakenError } from '../../server/ports/event-log-port.js';
import { EventLogStore } from '../../server/persistence/event-log-store.js';
import { EventLog } from '../../server/realtime/event-log.js';
import { useTestDatabase } from '../helpers/database.js';

/** A socket server that records what it emits to which rooms. */
function recordingIo() {
  const emitted: { rooms: string[]; event: string; seq: number }[] = [];
  const io = {
    to: (rooms: string[]) => ({
      emit: (event: string, body: { seq: number }) => emitted.push({ rooms, event, seq: body.seq }),
    }),
  } as unknown as SocketServer;
  return { io, emitted };
}

describe('realtime/event-log', () => {
  const ctx = useTestDatabase();

  it('should report a taken seq through the port as SeqTakenError', async () => {
    // given an entry with seq 1
    const store = new EventLogStore(ctx.db.conn);
    const entry = { seq: 1, at: new Date().toISOString(), event: 'e', rooms: ['dashboard'], payload: {} };
    await store.append([entry]);
    // when another writer appends seq 1 again
    const err = await store.append([entry]).then(
      () => undefined,
      (e: unknown) => e,
    );
    // then
    expect(err).to.be.instanceOf(SeqTakenError);
  });

  it('should number on after the newest seq when another server wrote the same seqs', async () => {
    // given two servers' event logs on one database, both starting from the same newest seq
    await ctx.db.conn.collection('event_log').deleteMany({});
    const a = recordingIo();
    const b = recordingIo();
    const first = new EventLog(new EventLogStore(ctx.db.conn), a.io);
    const second = new EventLog(new EventLogStore(ctx.db.conn), b.io);
    // when each publishes an event
    await first.publish('metrics:updated', ['dashboard'], {} as never);
    await second.publish('metrics:updated', ['dashboard'], {} as never);
    // then both are logged and emitted, with different seqs
    const seqs = (await new EventLogStore(ctx.db.conn).after(0, ['dashboard'], 10)).map((e) => e.seq);
    expect(seqs).to.deep.equal([1, 2]);
    expect([...a.emitted, ...b.emitted].map((e) => e.seq).sort()).to.deep.equal([1, 2]);
  });
});
