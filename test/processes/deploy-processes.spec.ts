import { expect } from 'chai';
import { useTestDatabase } from '../helpers/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { EngineRuntime } from '../../server/engine/runtime.js';
import { officeServices } from '../../server/engine/services/office-services.js';
import { deployProcesses } from '../../server/seed/deploy-processes.js';
import { DocumentService } from '../../server/documents/document-service.js';
import { LetterService } from '../../server/letters/letter-service.js';
import { MongoDocumentStore } from '../../server/persistence/document-store.js';
import { MongoLetterStore } from '../../server/persistence/letter-store.js';

describe('seed/deploy-processes', () => {
  const t = useTestDatabase();

  it('should deploy the eight office processes once, and nothing new on the next start', async () => {
    // given
    // the services main.ts registers: the office's and the letters'
    const letters = new LetterService({
      documents: new DocumentService(new MongoDocumentStore(t.db.conn)),
      store: new MongoLetterStore(t.db.conn),
      publicUrl: 'http://ravand.test',
    });
    const runtime = new EngineRuntime({
      stores: await createRuntimeStores(t.db),
      services: { ...officeServices, ...letters.services() },
    });
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
