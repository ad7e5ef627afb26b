import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../app-error.js';

// Argon2id (algorithm 2, the library default), OWASP's second recommended profile: 19 MiB, 2 passes
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The shortest password we accept (RV_ERR_WEAK_PASSWORD says so in both languages). */
export const MIN_PASSWORD_LENGTH = 10;

/** Throws RV_ERR_WEAK_PASSWORD for a password shorter than the minimum. */
export function assertStrongPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new AppError('RV_ERR_WEAK_PASSWORD');
}

/** An argon2id PHC string for `password`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options as never);
}

/** True when `password` matches `passwordHash`; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so an unknown user name cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('ravand-dummy-password');
  await verifyPassword(await dummyHash, password);
}

/** A readable random password for seeded users (printed once, never stored in clear). */
export function randomPassword(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}
