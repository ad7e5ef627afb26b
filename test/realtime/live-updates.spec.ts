import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, WireEventName } from '../../schemas/events.js';
import type { TaskRecord } from '../../server/engine/types.js';
import {
  ApiClient,
  engine,
  fixture,
  ORIGIN,
  startHarness,
  waitUntil,
  type Harness,
} from '../http/harness.js';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const EVENTS: WireEventName[] = [
  'task:created',
  'task:updated',
  'task:completed',
  'instance:updated',
  'incident:raised',
  'metrics:updated',
];

interface Received {
  event: WireEventName;
  payload: { seq: number; task?: TaskRecord; instance?: { id: string } };
}

/** A connected socket that records every wire event it receives. */
async function openSocket(url: string, cookie?: string, origin = ORIGIN) {
  const socket: LiveSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: { ...(cookie ? { cookie } : {}), origin },
    reconnection: false,
    forceNew: true,
  });
  const received: Received[] = [];
  for (const event of EVENTS) {
    socket.on(event as 'task:created', (payload) =>
      received.push({ event, payload: payload as Received['payload'] }),
    );
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, received };
}

/** A round trip on the socket: every event the server emitted to it before this is delivered before the answer. */
function roundTrip(socket: LiveSocket): Promise<unknown> {
  return new Promise((resolve) => socket.emit('instance:subscribe', 'ping-nothing', resolve));
}

describe('realtime/live-updates', () => {
  let h: Harness;
  let amina: ApiClient;
  let bashir: ApiClient;
  let lena: ApiClient;
  let omar: ApiClient;
  const sockets: LiveSocket[] = [];

  before(async () => {
    h = await startHarness({
      runtime: engine({
        'http-flaky': async () => {
          throw new Error('the registry is down');
        },
      }),
    });
    await h.user('root', ['admin']);
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('bashir', ['staff'], ['plan-policy']);
    await h.user('lena', ['leadership'], ['leadership']);
    await h.user('omar', ['staff'], ['finance']);
    const root = await h.signIn('root');
    await root.agent
      .post('/api/definitions')
      .set('x-csrf-token', root.csrf)
      .set('Content-Type', 'application/xml')
      .send(fixture('http-approval'))
      .expect(201);
    await root.agent
      .post('/api/definitions')
      .set('x-csrf-token', root.csrf)
      .set('Content-Type', 'application/xml')
      .send(fixture('http-service'))
      .expect(201);
    [amina, bashir, lena, omar] = await Promise.all(
      ['amina', 'bashir', 'lena', 'omar'].map((u) => h.signIn(u)),
    );
  });

  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });

  after(async () => {
    await h.close();
  });

  async function live(client: ApiClient) {
    const s = await openSocket(h.url, client.cookie);
    sockets.push(s.socket);
    return s;
  }

  it('should refuse a socket without a session, with a forged session, and from a foreign origin', async () => {
    // when
    const errors = await Promise.all(
      [
        openSocket(h.url),
        openSocket(h.url, 'rv_session=forged-token-value'),
        openSocket(h.url, amina.cookie, 'https://evil.example'),
      ].map((p) =>
        p.then(
          (s) => {
            sockets.push(s.socket);
            return undefined;
          },
          (err: Error & { data?: { code: string } }) => err,
        ),
      ),
    );
    // then
    expect(errors.map((e) => e?.data?.code)).to.deep.equal([
      'RV_ERR_UNAUTHENTICATED',
      'RV_ERR_UNAUTHENTICATED',
      'RV_ERR_CSRF',
    ]);
  });

  it('should tell staff B and leadership when staff A completes a task, and tell outsiders nothing', async () => {
    // given
    const a = await live(amina);
    const b = await live(bashir);
    const leader = await live(lena);
    const outsider = await live(omar);
    const started = await amina
      .post('/api/instances', { key: 'http-approval', businessKey: 'LIVE-1' })
      .expect(201);
    const instanceId = started.body.id as string;
    const review = await waitUntil(
      () => b.received.find((r) => r.event === 'task:created' && r.payload.task?.instanceId === instanceId),
      'task:created for review at staff B',
    );
    const reviewId = review.payload.task!.id;
    const metricsBefore = leader.received.filter((r) => r.event === 'metrics:updated').length;
    // when
    await amina.post(`/api/tasks/${reviewId}/claim`).expect(200);
    await amina.post(`/api/tasks/${reviewId}/complete`, { data: { decision: 'approve' } }).expect(200);
    // then
    const completed = await waitUntil(
      () => b.received.find((r) => r.event === 'task:completed' && r.payload.task?.id === reviewId),
      'task:completed at staff B',
    );
    const next = await waitUntil(
      () =>
        b.received.find(
          (r) =>
            r.event === 'task:created' &&
            r.payload.task?.instanceId === instanceId &&
            r.payload.task.elementId === 'confirm',
        ),
      'the next task:created at staff B',
    );
    await waitUntil(
      () => leader.received.filter((r) => r.event === 'metrics:updated').length > metricsBefore,
      'metrics:updated at leadership',
    );
    expect(completed.payload.seq).to.be.lessThan(next.payload.seq);
    expect(b.received.some((r) => r.event === 'task:updated' && r.payload.task?.id === reviewId)).to.equal(
      true,
    );
    expect(a.received.some((r) => r.event === 'task:completed')).to.equal(true);
    const metrics = leader.received.filter((r) => r.event === 'metrics:updated').at(-1)!
      .payload as unknown as {
      metrics: { instances: { key: string; status: string; count: number }[] };
    };
    expect(
      metrics.metrics.instances.find((i) => i.key === 'http-approval' && i.status === 'running')?.count,
    ).to.equal(1);
    // everything emitted to the outsider before this round trip has arrived
    await roundTrip(outsider.socket);
    expect(outsider.received.filter((r) => r.event.startsWith('task:'))).to.deep.equal([]);
    expect(outsider.received).to.deep.equal([]);
    const seqs = b.received.map((r) => r.payload.seq);
    expect(seqs).to.deep.equal([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).to.equal(seqs.length);
  });

  it('should have logged the event and stored the task before a socket hears of it', async () => {
    // given: on receipt, look the event up in the log and the task up in the runtime at once
    const b = await live(bashir);
    const checks: Promise<[number, number]>[] = [];
    b.socket.on('task:created', (event) => {
      checks.push(
        Promise.all([
          bashir
            .get(`/api/events?after=${event.seq - 1}&limit=1`)
            .then((r) => r.body.items[0]?.seq as number),
          bashir.get(`/api/tasks/${event.task.id}`).then((r) => r.status),
        ]),
      );
    });
    // when
    await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    await waitUntil(() => checks.length > 0, 'task:created');
    // then
    const [[loggedSeq, taskStatus]] = await Promise.all(checks);
    const created = b.received.find((r) => r.event === 'task:created')!;
    expect(loggedSeq).to.equal(created.payload.seq);
    expect(taskStatus).to.equal(200);
  });

  it('should let a reconnecting client catch up with GET /api/events?after=<seq>', async () => {
    // given
    const b = await live(bashir);
    const started = await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    const created = await waitUntil(
      () =>
        b.received.find((r) => r.event === 'task:created' && r.payload.task?.instanceId === started.body.id),
      'task:created',
    );
    const lastSeen = created.payload.seq;
    b.socket.disconnect();
    // when: work happens while B is away
    await amina
      .post(`/api/tasks/${created.payload.task!.id}/complete`, { data: { decision: 'approve' } })
      .expect(200);
    const missed = await bashir.get(`/api/events?after=${lastSeen}`).expect(200);
    // then
    const events = missed.body.items.map((e: { event: string; payload: { task?: TaskRecord } }) => [
      e.event,
      e.payload.task?.elementId,
    ]);
    expect(events).to.deep.include.members([
      ['task:completed', 'review'],
      ['task:created', 'confirm'],
    ]);
    expect(missed.body.items.every((e: { seq: number }) => e.seq > lastSeen)).to.equal(true);
  });

  it('should let a user subscribe only to instances they may read', async () => {
    // given
    const a = await live(amina);
    const outsider = await live(omar);
    const started = await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    const instanceId = started.body.id as string;
    // when
    const mine = await new Promise((resolve) => a.socket.emit('instance:subscribe', instanceId, resolve));
    const theirs = await new Promise((resolve) =>
      outsider.socket.emit('instance:subscribe', instanceId, resolve),
    );
    const bad = await new Promise((resolve) => outsider.socket.emit('instance:subscribe', '$ne', resolve));
    await h.runtime!.suspend(instanceId, { id: 'root', groups: [], roles: ['admin'] });
    // then
    expect(mine).to.deep.equal({ ok: true });
    expect(theirs).to.deep.equal({ ok: false, code: 'RV_ERR_FORBIDDEN' });
    expect(bad).to.deep.equal({ ok: false, code: 'RV_ERR_INVALID_ID' });
    await waitUntil(
      () => a.received.find((r) => r.event === 'instance:updated' && r.payload.instance?.id === instanceId),
      'instance:updated in the instance room',
    );
    await roundTrip(outsider.socket);
    expect(outsider.received.filter((r) => r.payload.instance?.id === instanceId)).to.deep.equal([]);
  });

  it('should tell the person a task was taken from, and keep dashboard snapshots out of the catch-up', async () => {
    // given
    const root = await h.signIn('root');
    const o = await live(omar);
    const started = await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    const task = (await root.get(`/api/tasks?view=all&instanceId=${started.body.id}`)).body
      .items[0] as TaskRecord;
    await root.post(`/api/tasks/${task.id}/assign`, { assignee: 'omar' }).expect(200);
    await waitUntil(
      () => o.received.find((r) => r.event === 'task:updated' && r.payload.task?.assignee === 'omar'),
      'task:updated to the new assignee',
    );
    // when
    await root.post(`/api/tasks/${task.id}/assign`, { assignee: 'bashir' }).expect(200);
    // then
    await waitUntil(
      () => o.received.find((r) => r.event === 'task:updated' && r.payload.task?.assignee === 'bashir'),
      'task:updated to the previous assignee',
    );
    const replay = await lena.get('/api/events?after=0&limit=1000').expect(200);
    expect(replay.body.items.map((e: { event: string }) => e.event)).not.to.include('metrics:updated');
  });

  it("should move a user's live socket to the rooms of new groups", async () => {
    // given
    await h.groups.insertMissing([
      { id: 'plan-policy', name: { fa: 'پلان و پالیسی', en: 'Plan and Policy' }, kind: 'directorate' },
    ]);
    await h.user('nadia', ['staff'], ['finance']);
    const nadia = await h.signIn('nadia');
    const n = await live(nadia);
    const root = await h.signIn('root');
    // when
    await root.patch('/api/users/nadia', { groups: ['plan-policy'] }).expect(200);
    const started = await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    // then
    await waitUntil(
      () =>
        n.received.find((r) => r.event === 'task:created' && r.payload.task?.instanceId === started.body.id),
      'task:created in the new group',
    );
  });

  it('should take a user whose roles no longer let them read an instance out of its room', async () => {
    // given an auditor (reads everything) subscribed to an instance someone else started
    await h.user('sahar', ['auditor']);
    const sahar = await h.signIn('sahar');
    const s = await live(sahar);
    const a = await live(amina);
    const started = await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    const instanceId = started.body.id as string;
    expect(
      await new Promise((resolve) => s.socket.emit('instance:subscribe', instanceId, resolve)),
    ).to.deep.equal({ ok: true });
    const root = await h.signIn('root');
    // when the auditor becomes plain staff, and the instance changes
    await root.patch('/api/users/sahar', { roles: ['staff'] }).expect(200);
    const seen = s.received.length;
    await h.runtime!.suspend(instanceId, { id: 'root', groups: [], roles: ['admin'] });
    // then the starter hears of it, the former auditor does not
    await waitUntil(
      () => a.received.find((r) => r.event === 'instance:updated' && r.payload.instance?.id === instanceId),
      'instance:updated to the starter',
    );
    await roundTrip(s.socket);
    expect(s.received.slice(seen).filter((r) => r.payload.instance?.id === instanceId)).to.deep.equal([]);
  });

  it("should close the sockets of a user's other sessions when the password changes", async () => {
    // given
    await h.user('farid', ['staff'], ['plan-policy']);
    const first = await h.signIn('farid');
    const second = await h.signIn('farid');
    const old = await live(first);
    const kept = await live(second);
    const closed = new Promise<string>((resolve) => old.socket.once('disconnect', resolve));
    // when
    await second
      .post('/api/me/password', {
        currentPassword: 'correct-horse-battery',
        newPassword: 'another-long-password',
      })
      .expect(204);
    // then
    expect(await closed).to.equal('io server disconnect');
    expect(kept.socket.connected).to.equal(true);
  });

  it('should raise an incident to the dashboards and the starter, and cancel its tasks as completed events', async () => {
    // given
    const leader = await live(lena);
    const a = await live(amina);
    const b = await live(bashir);
    // when: a service fails, and an instance with an open task is cancelled
    const failing = await amina.post('/api/instances', { key: 'http-service' }).expect(201);
    const other = await amina.post('/api/instances', { key: 'http-approval' }).expect(201);
    await waitUntil(
      () =>
        b.received.find((r) => r.event === 'task:created' && r.payload.task?.instanceId === other.body.id),
      'task:created',
    );
    const root = await h.signIn('root');
    await root.post(`/api/instances/${other.body.id}/cancel`, { reason: 'Withdrawn' }).expect(200);
    // then
    for (const s of [leader, a]) {
      const raised = await waitUntil(
        () =>
          s.received.find((r) => r.event === 'incident:raised' && r.payload.instance?.id === failing.body.id),
        'incident:raised',
      );
      expect((raised.payload as unknown as { incident: { elementId: string } }).incident.elementId).to.equal(
        'record',
      );
    }
    const cancelled = await waitUntil(
      () =>
        b.received.find((r) => r.event === 'task:completed' && r.payload.task?.instanceId === other.body.id),
      'task:completed for the cancelled task',
    );
    expect((cancelled.payload.task as unknown as { outcome: string }).outcome).to.equal('cancelled');
    await roundTrip(b.socket);
    expect(b.received.some((r) => r.event === 'incident:raised')).to.equal(false);
  });

  it('should disconnect the sockets of a session that signs out', async () => {
    // given
    await h.user('leaver', ['staff'], ['plan-policy']);
    const leaver = await h.signIn('leaver');
    const s = await live(leaver);
    const disconnected = new Promise<string>((resolve) => s.socket.once('disconnect', resolve));
    // when
    await leaver.post('/api/auth/logout').expect(204);
    // then
    expect(await disconnected).to.equal('io server disconnect');
  });
});
