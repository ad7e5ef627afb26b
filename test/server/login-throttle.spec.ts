import { expect } from 'chai';
import { isAppError } from '../../server/app-error.js';
import { LoginThrottle } from '../../server/auth/login-throttle.js';

describe('auth/login-throttle', () => {
  let now: number;
  const throttle = (maxAccounts?: number) =>
    new LoginThrottle(
      { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000, maxAccounts },
      () => now,
    );
  const waitOf = (t: LoginThrottle, account: string): number => {
    try {
      t.check(account);
      return 0;
    } catch (err) {
      expect(isAppError(err, 'RV_ERR_RATE_LIMITED')).to.equal(true);
      return (err as { details: { retryAfterMs: number } }).details.retryAfterMs;
    }
  };

  beforeEach(() => {
    now = 1_000_000;
  });

  it('should double the delay with each failure past the free ones, up to the cap', () => {
    // given
    const t = throttle();
    const waits: number[] = [];
    // when
    for (let i = 0; i < 7; i++) {
      t.failed('Amina');
      waits.push(waitOf(t, 'amina'));
      now += waits.at(-1)!;
    }
    // then
    expect(waits).to.deep.equal([0, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('should forget failures after the window and on success', () => {
    // given
    const t = throttle();
    t.failed('a');
    t.failed('a');
    t.failed('b');
    t.failed('b');
    // when
    now += 60_001;
    t.succeeded('b');
    // then
    expect(waitOf(t, 'a')).to.equal(0);
    t.failed('a');
    expect(waitOf(t, 'a'), 'a fresh count: one failure is free').to.equal(0);
    expect(waitOf(t, 'b')).to.equal(0);
  });

  it('should keep at most maxAccounts, dropping the oldest', () => {
    // given
    const t = throttle(2);
    for (const name of ['x', 'y', 'z']) {
      t.failed(name);
      t.failed(name);
    }
    // then
    expect(waitOf(t, 'x')).to.equal(0);
    expect(waitOf(t, 'z')).to.equal(1000);
  });
});
