import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { useTestDatabase } from '../helpers/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { EngineRuntime } from '../../server/engine/runtime.js';
import { officeServices } from '../../server/engine/services/office-services.js';
import { deployProcesses, processesDir, type ProcessDeployer } from '../../server/seed/deploy-processes.js';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import { DocumentService } from '../../server/documents/document-service.js';
import { LetterService } from '../../server/letters/letter-service.js';
import { MongoDocumentStore } from '../../server/persistence/document-store.js';
import { MongoLetterStore } from '../../server/persistence/letter-store.js';

describe('seed/deploy-processes', () => {
  const t = useTestDatabase();

  /** The runtime main.ts builds, and a deployer over it that counts the deployments it had to compile. */
  async function officeRuntime() {
    const letters = new LetterService({
      documents: new DocumentService(new MongoDocumentStore(t.db.conn)),
      store: new MongoLetterStore(t.db.conn),
      publicUrl: 'http://ravand.test',
    });
    const runtime = new EngineRuntime({
      stores: await createRuntimeStores(t.db),
      services: { ...officeServices, ...letters.services() },
    });
    const compiled: string[] = [];
    const deployer: ProcessDeployer = {
      unchangedDefinitions: (files) => runtime.unchangedDefinitions(files),
      deploy: (xml, actor) => {
        compiled.push(/<bpmn:process id="([^"]+)"/.exec(xml)?.[1] ?? '?');
        return runtime.deploy(xml, actor);
      },
    };
    return { runtime, deployer, compiled };
  }

  it('should deploy the eight office processes once, and nothing new on the next start', async () => {
    // given the runtime main.ts builds, with the office's services and the letters'
    const { runtime } = await officeRuntime();
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

  it('should compile nothing for unchanged files on a restart, and deploy a changed file as its next version', async () => {
    // given: the office's processes deployed, then a copy of the folder with one file changed by one byte
    const first = await officeRuntime();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-processes-'));
    try {
      await deployProcesses(first.deployer);
      await first.runtime.close();
      for (const f of fs.readdirSync(processesDir()).filter((n) => n.endsWith('.bpmn')))
        fs.copyFileSync(path.join(processesDir(), f), path.join(dir, f));
      const restart = await officeRuntime();
      try {
        // when: a restart on the same files, then one on the folder with pr-campaign changed
        const same = await deployProcesses(restart.deployer);
        const compiledForSame = [...restart.compiled];
        const changedFile = path.join(dir, 'pr-campaign.bpmn');
        fs.writeFileSync(changedFile, `${fs.readFileSync(changedFile, 'utf8')}\n`);
        const changed = await deployProcesses(restart.deployer, SYSTEM_ACTOR, dir);
        // then: nothing compiled and nothing new at first; then only the changed file, as version 2
        expect(compiledForSame).to.deep.equal([]);
        expect(same.every((r) => !r.created && r.definition.version === 1)).to.equal(true);
        expect(restart.compiled).to.deep.equal(['pr-campaign']);
        expect(changed.filter((r) => r.created).map((r) => r.definition.id)).to.deep.equal(['pr-campaign:2']);
        expect(
          (await restart.runtime.listDefinitions()).find((d) => d.key === 'pr-campaign')?.version,
        ).to.equal(2);
        // and the unchanged check now knows the new bytes: a third start compiles nothing again
        restart.compiled.length = 0;
        await deployProcesses(restart.deployer, SYSTEM_ACTOR, dir);
        expect(restart.compiled).to.deep.equal([]);
      } finally {
        await restart.runtime.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should match a file deployed with forms of its own to the version that keeps them', async () => {
    // given: a process deployed with the form it carries
    const { runtime } = await officeRuntime();
    const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
    const xml = fs.readFileSync(path.join(fixtures, 'engine-simple-task.bpmn'), 'utf8');
    const form = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      'x-title': { fa: 'بررسی', en: 'Review' },
      properties: { note: { type: 'string', maxLength: 200, 'x-label': { fa: 'یادداشت', en: 'Note' } } },
      additionalProperties: false,
    };
    try {
      const deployed = await runtime.deploy(xml, SYSTEM_ACTOR, { 'simple-review': form });
      const key = deployed.definition.key;
      // when
      const [asIs, changed] = await runtime.unchangedDefinitions([
        { key, xml },
        { key, xml: xml.replace('name="Review"', 'name="Check"') },
      ]);
      // then: the same answer a full deploy of the same bytes gives (it keeps the forms), none once changed
      const again = await runtime.deploy(xml, SYSTEM_ACTOR);
      expect(again.created).to.equal(false);
      expect(asIs).to.deep.equal(again);
      expect(changed).to.equal(undefined);
    } finally {
      await runtime.close();
    }
  });
});
