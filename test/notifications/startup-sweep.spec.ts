import { expect } from 'chai';
import type { NotificationList } from '../../schemas/notifications.js';
import { engine, fixture, startHarness, waitUntil, type Harness } from '../http/harness.js';

const setup = { id: 'setup', groups: [], roles: ['admin' as const] };

describe('notifications (the first sweep of the open tasks waits for the start-up reads)', function () {
  this.timeout(120_000);
  let h: Harness;
  let openGate!: () => void;

  before(async () => {
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    h = await startHarness({ runtime: engine(), startupReads: gate });
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.runtime!.deploy(fixture('http-plain-task'), setup);
  });

  after(async () => {
    openGate?.();
    await h?.close();
  });

  it('should ring the bell for a new task while the start-up reads are still going, then finish starting', async () => {
    // given: the start-up reads not in yet
    let started = false;
    void h.notifications!.settled().then(() => (started = true));
    const amina = await h.signIn('amina');
    // when: a task is created for her group
    const res = await amina.post('/api/instances', { key: 'http-plain-task', variables: {} });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // then: her bell has it (the runtime's events were listened to from the start) ...
    const bell = await waitUntil(
      async () => {
        const list = (await amina.get('/api/me/notifications').expect(200)).body as NotificationList;
        return list.items.length ? list : undefined;
      },
      'a notification in the bell',
      20_000,
    );
    expect(bell.items[0]!.path).to.match(/^\/inbox\/task\//);
    expect(started).to.equal(false);
    // ... and the notifications finish starting once the reads are in
    openGate();
    await h.notifications!.settled();
    expect(started).to.equal(true);
  });
});
