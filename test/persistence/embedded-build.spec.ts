import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { EmbeddedDbError, ensureBinary } from '../../server/persistence/embedded-db.js';
import { FERRETDB_PATCHES } from '../../server/persistence/ferretdb-patches.js';

/** The build of the embedded database: FerretDB's source is patched, or the build stops and says why. */
describe('persistence/embedded database build', function () {
  this.timeout(300_000);

  it('should stop with a clear error, and leave nothing behind, when a FerretDB patch no longer applies', () => {
    // given a patch whose line is not in FerretDB's source (as after an upgrade that changed it)
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ravand-build-'));
    const patch = FERRETDB_PATCHES[0]!;
    const from = patch.from;
    patch.from = 'IDColumn = "a line FerretDB does not have"';
    try {
      // when
      let err: unknown;
      try {
        ensureBinary(cacheDir);
      } catch (e) {
        err = e;
      }
      // then
      expect(err).to.be.instanceOf(EmbeddedDbError);
      expect((err as EmbeddedDbError).reason).to.equal('build-failed');
      expect((err as Error).message).to.match(/metadata\.go does not apply/);
      expect(fs.readdirSync(path.join(cacheDir, 'ferretdb'))).to.deep.equal([]);
    } finally {
      patch.from = from;
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
