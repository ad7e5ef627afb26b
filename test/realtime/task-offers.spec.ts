import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../schemas/events.js';
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
type TaskEvent = 'task:created' | 'task:updated';

interface Heard {
  event: TaskEvent;
  task: TaskRecord;
  change?: string;
}

/** A real socket.io client signed in as `client`, recording the task offers it hears. */
async function listen(url: string, client: ApiClient) {
  const socket: LiveSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: { cookie: client.cookie, origin: ORIGIN },
    reconnection: false,
    forceNew: true,
  });
  const heard: Heard[] = [];
  socket.on('task:created', (e) => heard.push({ event: 'task:created', task: e.task }));
  socket.on('task:updated', (e) => heard.push({ event: 'task:updated', task: e.task, change: e.change }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, heard };
}

/** Answered after everything the server emitted to the socket before it. */
function roundTrip(socket: LiveSocket): Promise<unknown> {
  return new Promise((resolve) => socket.emit('instance:subscribe', 'ping-nothing', resolve));
}

const about = (heard: Heard[], instanceId: string) =>
  heard.filter((h) => h.task.instanceId === instanceId).map((h) => `${h.event} ${h.task.elementId}`);

describe('realtime/task offers under the four-eyes rule', () => {
  let h: Harness;
  let amina: ApiClient;
  let bashir: ApiClient;
  let carim: ApiClient;
  const sockets: LiveSocket[] = [];

  before(async () => {
    h = await startHarness({ runtime: engine() });
    await h.user('root', ['admin']);
    for (const u of ['amina', 'bashir', 'carim']) await h.user(u, ['staff'], ['plan-policy']);
    const root = await h.signIn('root');
    // review is barred to the starter, confirm to whoever did the review
    await root.agent
      .post('/api/definitions')
      .set('x-csrf-token', root.csrf)
      .set('Content-Type', 'application/xml')
      .send(fixture('http-four-eyes'))
      .expect(201);
    [amina, bashir, carim] = await Promise.all(['amina', 'bashir', 'carim'].map((u) => h.signIn(u)));
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await h.close();
  });

  async function live(client: ApiClient) {
    const s = await listen(h.url, client);
    sockets.push(s.socket);
    return s;
  }

  it('should offer a new task live to the group but not to the member the four-eyes rule bars', async () => {
    // given: three members of the group live
    const [a, b, c] = await Promise.all([live(amina), live(bashir), live(carim)]);
    // when: amina starts; its review is barred to her
    const started = await amina.post('/api/instances', { key: 'http-four-eyes' }).expect(201);
    const instanceId = started.body.id as string;
    // then: bashir and carim hear of the review, amina hears nothing of it
    await waitUntil(() => about(b.heard, instanceId).length > 0, 'task:created at bashir');
    await waitUntil(() => about(c.heard, instanceId).length > 0, 'task:created at carim');
    await roundTrip(a.socket);
    expect(about(b.heard, instanceId)).to.deep.equal(['task:created review']);
    expect(about(c.heard, instanceId)).to.deep.equal(['task:created review']);
    expect(about(a.heard, instanceId)).to.deep.equal([]);
    // and: the catch-up log keeps it from her too, not from the others
    const created = (e: { event: string; payload: { task?: TaskRecord } }) =>
      e.event === 'task:created' && e.payload.task?.instanceId === instanceId;
    const missedA = await amina.get('/api/events?after=0&limit=1000').expect(200);
    const missedC = await carim.get('/api/events?after=0&limit=1000').expect(200);
    expect(missedA.body.items.filter(created)).to.have.length(0);
    expect(missedC.body.items.filter(created)).to.have.length(1);
  });

  it('should keep a re-offered task (claimed, then unclaimed) from the barred member even in the instance room', async () => {
    // given: amina watches her own instance (she may read it as its starter)
    const [a, c] = await Promise.all([live(amina), live(carim)]);
    const started = await amina.post('/api/instances', { key: 'http-four-eyes' }).expect(201);
    const instanceId = started.body.id as string;
    expect(await new Promise((r) => a.socket.emit('instance:subscribe', instanceId, r))).to.deep.equal({
      ok: true,
    });
    const review = (await bashir.get(`/api/tasks?view=group&instanceId=${instanceId}`).expect(200)).body
      .items[0] as TaskRecord;
    // when: bashir claims it and gives it back to the group
    await bashir.post(`/api/tasks/${review.id}/claim`).expect(200);
    await bashir.post(`/api/tasks/${review.id}/unclaim`).expect(200);
    // then: carim hears both changes, amina neither
    await waitUntil(
      () => c.heard.find((x) => x.event === 'task:updated' && x.change === 'unclaimed'),
      'task:updated (unclaimed) at carim',
    );
    await roundTrip(a.socket);
    expect(about(a.heard, instanceId)).to.deep.equal([]);
    expect(about(c.heard, instanceId)).to.include.members(['task:created review', 'task:updated review']);
  });

  it('should bar the reviewer from the confirmation and offer it to the starter', async () => {
    // given
    const [a, b, c] = await Promise.all([live(amina), live(bashir), live(carim)]);
    const started = await amina.post('/api/instances', { key: 'http-four-eyes' }).expect(201);
    const instanceId = started.body.id as string;
    const review = await waitUntil(
      () => b.heard.find((x) => x.task.instanceId === instanceId),
      'the review at bashir',
    );
    // when: bashir does the review
    await bashir.post(`/api/tasks/${review.task.id}/claim`).expect(200);
    await bashir.post(`/api/tasks/${review.task.id}/complete`, { data: {} }).expect(200);
    // then: the confirmation goes to amina (the starter is not barred from it) and carim, not to bashir
    const confirmAt = (heard: Heard[]) =>
      heard.find(
        (x) =>
          x.event === 'task:created' && x.task.instanceId === instanceId && x.task.elementId === 'confirm',
      );
    await waitUntil(() => confirmAt(a.heard), 'the confirmation at amina');
    await waitUntil(() => confirmAt(c.heard), 'the confirmation at carim');
    await roundTrip(b.socket);
    expect(confirmAt(b.heard)).to.equal(undefined);
    // and: the server refuses him the task he was not offered
    await bashir.post(`/api/tasks/${confirmAt(a.heard)!.task.id}/claim`).expect(403);
  });
});
