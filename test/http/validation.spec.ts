import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { isAppError } from '../../server/app-error.js';
import { compileValidator, compileValidatorsInIdleTurns } from '../../server/http/validation.js';
import type { JsonSchema } from '../../schemas/api/common.js';

/** What a check threw, or undefined when it passed. */
function refusal(check: (value: unknown) => void, value: unknown): unknown {
  try {
    check(value);
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('http/validation (request checks compiled when first needed)', () => {
  it('should check a request part at its first use as a check compiled at once would', () => {
    // given: a body check made like a route's, not used yet
    const check = compileValidator('body', {
      type: 'object',
      properties: { days: { type: 'integer', minimum: 1 } },
      required: ['days'],
      additionalProperties: false,
    } as JsonSchema);
    // when
    const wrong = refusal(check, { days: '5', extra: true });
    const right = refusal(check, { days: 5 });
    // then: every error of the first body (JSON bodies are not coerced), none for the second
    expect(isAppError(wrong, 'RV_ERR_VALIDATION')).to.equal(true);
    const errors = (wrong as { details: { errors: { path: string; keyword: string }[] } }).details.errors;
    expect(errors.map((e) => `${e.path} ${e.keyword}`)).to.have.members([
      '/extra additionalProperties',
      '/days type',
    ]);
    expect(right).to.equal(undefined);
  });

  it('should compile the unused checks in idle turns, and report a schema that does not compile', async () => {
    // given: a used check, and an unused one whose schema is broken
    const used = compileValidator('query', {
      type: 'object',
      properties: { limit: { type: 'integer' } },
    } as JsonSchema);
    expect(refusal(used, { limit: '20' })).to.equal(undefined);
    compileValidator('body', { type: 'not-a-type' } as unknown as JsonSchema);
    // when
    let failed: unknown;
    await compileValidatorsInIdleTurns({ idleOnly: false }).catch((err: unknown) => (failed = err));
    // then: the broken schema is found without any request, and the used check still works
    expect(String(failed)).to.match(/schema is invalid/);
    expect(isAppError(refusal(used, { limit: 'many' }), 'RV_ERR_VALIDATION')).to.equal(true);
    // and: once reported it is not compiled again, so a second pass has nothing left that fails
    await compileValidatorsInIdleTurns({ idleOnly: false });
  });

  it('should leave the compiles of unused checks for moments when the event loop is idle', async () => {
    // given: the checks not used yet compiled (the test before), then one more whose schema is broken, so its
    // compile shows when it happens
    await compileValidatorsInIdleTurns({ idleOnly: false }).catch(() => undefined);
    compileValidator('body', { type: 'no-such-type' } as unknown as JsonSchema);
    let compiledAt: number | undefined;
    // when: compiles wait for idle moments while the loop is busy for 400 ms in 20 ms steps
    const compiling = compileValidatorsInIdleTurns().catch(() => (compiledAt = performance.now()));
    const busyUntil = performance.now() + 400;
    while (performance.now() < busyUntil) {
      const step = performance.now() + 20;
      while (performance.now() < step) {
        // busy, as a request's work would be
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const idleFrom = performance.now();
    await compiling;
    // then: nothing was compiled while the loop was busy; the broken schema was reported once it was idle
    expect(compiledAt).to.be.a('number');
    expect(compiledAt!).to.be.at.least(idleFrom);
  });
});
