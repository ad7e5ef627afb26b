import { AppError } from '../app-error.js';

/** How an account's failed sign-ins slow down the next attempt. */
export interface LoginThrottleOptions {
  /** Failures allowed before delays start. */
  freeFailures: number;
  /** Delay after the first failure past the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  /** The longest delay: the real user is slowed, never locked out for longer than this. */
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  forgetAfterMs: number;
  /** Accounts tracked at once; the oldest are forgotten first (random names must not grow memory). */
  maxAccounts?: number;
}

interface AccountState {
  failures: number;
  notBefore: number;
  lastFailure: number;
}

/**
 * Growing delays after failed sign-ins of one account, wherever they come from: rotating addresses or
 * `X-Forwarded-For` headers does not reset them, and the right password works again once the delay has passed.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, AccountState>();

  constructor(
    private readonly options: LoginThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refuses with 429 `RV_ERR_RATE_LIMITED` (details: `retryAfterMs`) while the account waits out its delay. */
  check(account: string): void {
    const state = this.live(account.toLowerCase());
    const wait = state ? state.notBefore - this.now() : 0;
    if (wait > 0) throw new AppError('RV_ERR_RATE_LIMITED', { retryAfterMs: wait });
  }

  /** Counts a failure and sets the delay before the next attempt. */
  failed(account: string): void {
    const key = account.toLowerCase();
    const now = this.now();
    const state = this.live(key) ?? { failures: 0, notBefore: 0, lastFailure: now };
    state.failures += 1;
    state.lastFailure = now;
    const over = state.failures - this.options.freeFailures;
    if (over >= 0) {
      const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over, 30));
      state.notBefore = now + delay;
    }
    // re-insert so the map's order is oldest failure first
    this.accounts.delete(key);
    this.accounts.set(key, state);
    const max = this.options.maxAccounts ?? 100_000;
    while (this.accounts.size > max) this.accounts.delete(this.accounts.keys().next().value!);
  }

  /** A successful sign-in clears the account's failures. */
  succeeded(account: string): void {
    this.accounts.delete(account.toLowerCase());
  }

  private live(key: string): AccountState | undefined {
    const state = this.accounts.get(key);
    if (state && this.now() - state.lastFailure > this.options.forgetAfterMs) {
      this.accounts.delete(key);
      return undefined;
    }
    return state;
  }
}
