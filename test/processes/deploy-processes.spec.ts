import { expect } from 'chai';
import { useTestDatabase } from '../helpers/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { EngineRuntime } from '../../server/engine/runtime.js';
import { officeServices } from '../../server/engine/services/office-services.js';
import { deployProcesses } from '../../server/seed/deploy-processes.js';

describe('seed/deploy-processes', () => {
  const t = useTestDatabase();

  it('should deploy the eight office processes once, and nothing new on the next start', async () => {
    // given
    const runtime = new EngineRuntime({ stores: await createRuntimeStores(t.db), services: officeServices });
    try {
      // when
      const first = await deployProcesses(runtime);
      const second = await deployProcesses(runtime);
      // then
      expect(first.map((r) => [r.definition.id, r.created])).to.deep.equal([
        ['access-to-information:1', true],
        ['international-cooperation:1', true],
        ['media-publication:1', true],
        ['policy-implementation:1', true],
        ['policy-approval:1', true],
        ['pr-campaign:1', true],
        ['provincial-sop-audit:1', true],
        ['trip-authorization:1', true],
      ]);
      expect(second.every((r) => !r.created)).to.equal(true);
      const definitions = await runtime.listDefinitions();
      expect(definitions).to.have.length(8);
      for (const d of definitions) expect(d.name.fa, d.key).to.match(/[\u0600-\u06FF]/);
    } finally {
      await runtime.close();
    }
  });
});
