import { expect } from 'chai';
import { MongoDefinitionStore } from '../../server/persistence/definition-store.js';
import { openTestDatabase } from '../helpers/database.js';
import { admin, createTestRuntime, fixture } from '../engine/runtime-harness.js';

describe('persistence/definition-store: latest versions from one head per process', function () {
  this.timeout(120_000);
  // each test its own database: the versions of one must not be there for the next
  const ctx = {} as { db: Awaited<ReturnType<typeof openTestDatabase>> };
  beforeEach(async () => {
    ctx.db = await openTestDatabase();
  });
  afterEach(async () => {
    await ctx.db.drop();
  });

  /** Deploys `count` versions of engine-bench, each with another process name. */
  async function deployVersions(count: number) {
    const { runtime } = await createTestRuntime(ctx.db);
    const xml = fixture('engine-bench');
    const name = /<bpmn:process id="engine-bench"[^>]*name="([^"]*)"/.exec(xml)![1]!;
    for (let v = 1; v <= count; v++)
      await runtime.deploy(xml.replace(`name="${name}"`, `name="${name} ${v}"`), admin);
    return runtime;
  }

  it('should answer the latest version, the process list and the versions after many deployments', async () => {
    // given 12 versions of one process and one version of another
    const runtime = await deployVersions(12);
    await runtime.deploy(fixture('engine-simple-task'), admin);
    const store = new MongoDefinitionStore(ctx.db.conn);

    // then
    expect((await store.latest('engine-bench'))?.version).to.equal(12);
    expect((await store.latest('engine-bench'))?.name.en).to.match(/ 12$/);
    expect((await store.listLatest()).map((d) => [d.key, d.version])).to.deep.equal([
      ['engine-bench', 12],
      ['engine-simple-task', 1],
    ]);
    expect((await store.versions('engine-bench')).map((d) => d.version)).to.deep.equal(
      Array.from({ length: 12 }, (_, i) => 12 - i),
    );
    expect(await store.latest('no-such-process')).to.equal(undefined);
    await runtime.close();
  });

  it('should step back to the last stored version when a head is ahead of it (a kill between the two writes)', async () => {
    // given 3 versions and a head written for a 4th that was never inserted
    const runtime = await deployVersions(3);
    await ctx.db.conn
      .collection('definition_heads')
      .replaceOne({ _id: 'engine-bench' } as never, { version: 4 });
    const store = new MongoDefinitionStore(ctx.db.conn);

    // then reads find version 3, and the next deployment is version 4
    expect((await store.latest('engine-bench'))?.version).to.equal(3);
    expect((await store.listLatest()).map((d) => d.version)).to.deep.equal([3]);
    expect((await store.versions('engine-bench')).map((d) => d.version)).to.deep.equal([3, 2, 1]);
    const xml = fixture('engine-bench').replace('name="Bench"', 'name="Bench four"');
    const { definition } = await runtime.deploy(xml, admin);
    expect(definition.version).to.equal(4);
    expect((await store.latest('engine-bench'))?.version).to.equal(4);
    await runtime.close();
  });

  it('should make the heads once for a database from before them', async () => {
    // given 5 versions stored without heads
    const runtime = await deployVersions(5);
    await runtime.close();
    await ctx.db.conn.collection('definition_heads').drop();

    // when a new store reads
    const store = new MongoDefinitionStore(ctx.db.conn);
    const listed = await store.listLatest();

    // then it finds the latest, and has written its head
    expect(listed.map((d) => [d.key, d.version])).to.deep.equal([['engine-bench', 5]]);
    const head = await ctx.db.conn.collection('definition_heads').findOne({ _id: 'engine-bench' } as never);
    expect(head?.version).to.equal(5);
  });
});
