import path from 'node:path';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import { projectRoot } from '../../server/project-root.js';

/** The messages of the layering rule for `code` as if it were the file `file`. */
async function layeringErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: projectRoot() });
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot(), file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint/layering (eslint no-restricted-imports per folder)', function () {
  this.timeout(60_000);

  it('should refuse persistence, http, realtime, mongoose, express and socket.io in the engine', async () => {
    // given an engine module importing each of them
    const code = [
      "import type { Connection } from 'mongoose';",
      "import type { Express } from 'express';",
      "import type { Server } from 'socket.io';",
      "import type { Database } from '../persistence/database.js';",
      "import type { ApiDeps } from '../http/api-deps.js';",
      "import type { EventLog } from '../realtime/event-log.js';",
      'export type All = [Connection, Express, Server, Database, ApiDeps, EventLog];',
      '',
    ].join('\n');
    // when it is linted / then every import is an error
    expect(await layeringErrors('server/engine/probe.ts', code)).to.have.length(6);
  });

  for (const folder of ['http', 'realtime', 'auth'])
    it(`should refuse persistence and mongoose in server/${folder} but allow the ports there`, async () => {
      // given a module importing a persistence store, mongoose, and the application's and the engine's ports
      const code = [
        "import type { UserStore } from '../persistence/user-store.js';",
        "import type { Connection } from 'mongoose';",
        "import type { UsersPort } from '../ports/users-port.js';",
        "import type { AuditStore } from '../engine/stores.js';",
        'export type All = [UserStore, Connection, UsersPort, AuditStore];',
        '',
      ].join('\n');
      // when it is linted / then persistence and mongoose are refused, the ports are not
      const errors = await layeringErrors(`server/${folder}/probe.ts`, code);
      expect(errors).to.have.length(2);
      expect(errors[0]).to.contain('persistence');
      expect(errors[1]).to.contain("'mongoose'");
    });

  it('should keep the ports free of persistence and drivers', async () => {
    // given a port importing a persistence store and mongoose
    const code = [
      "import type { UserStore } from '../persistence/user-store.js';",
      "import type { Connection } from 'mongoose';",
      'export type Both = [UserStore, Connection];',
      '',
    ].join('\n');
    // when it is linted / then both are refused
    expect(await layeringErrors('server/ports/probe.ts', code)).to.have.length(2);
  });

  it('should refuse mongoose in HTTP handlers but allow the engine ports there', async () => {
    // given an HTTP module importing mongoose and the engine's types
    const code = [
      "import type { Connection } from 'mongoose';",
      "import type { WorkflowRuntime } from '../engine/types.js';",
      'export type Both = [Connection, WorkflowRuntime];',
      '',
    ].join('\n');
    // when it is linted / then only mongoose is refused
    const errors = await layeringErrors('server/http/probe.ts', code);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain("'mongoose'");
  });
});
