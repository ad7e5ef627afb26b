import crypto from 'node:crypto';
import { AppError } from '../app-error.js';
import type { Actor } from '../engine/types.js';
import type { SessionRecord, SessionsPort } from '../ports/sessions-port.js';
import type { UserRecord, UsersPort } from '../ports/users-port.js';
import { assertStrongPassword, burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';

/** The cookie that carries the session token (httpOnly). */
export const SESSION_COOKIE = 'rv_session';
/** The double-submit CSRF cookie (readable by the client, echoed in `x-csrf-token`). */
export const CSRF_COOKIE = 'rv_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Who is signed in on a request or socket. */
export interface Principal {
  user: UserRecord;
  session: SessionRecord;
  actor: Actor;
}

/** The stored form of a session token: only its SHA-256 reaches the database. */
export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** The engine's view of a user. */
export function actorOf(user: UserRecord): Actor {
  return { id: user.id, groups: [...user.groups], roles: [...user.roles] };
}

/** Sign-in, session lookup, sign-out and password change over the user and session stores. */
export class AuthService {
  constructor(
    private readonly users: UsersPort,
    private readonly sessions: SessionsPort,
    private readonly ttlHours: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Checks the password and opens a session; the returned token goes into the cookie and nowhere else. */
  async login(username: string, password: string): Promise<{ token: string; principal: Principal }> {
    const user = await this.users.getWithHash(username.toLowerCase());
    if (!user) {
      await burnPasswordCheck(password);
      throw new AppError('RV_ERR_BAD_CREDENTIALS');
    }
    if (!(await verifyPassword(user.passwordHash, password)) || !user.active) {
      throw new AppError('RV_ERR_BAD_CREDENTIALS');
    }
    const token = crypto.randomBytes(32).toString('base64url');
    const now = this.now();
    const session: SessionRecord = {
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken: crypto.randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlHours * 3_600_000).toISOString(),
    };
    await this.sessions.create(session);
    const { passwordHash: _omit, ...record } = user;
    return { token, principal: { user: record, session, actor: actorOf(record) } };
  }

  /** The principal behind a session token, or undefined when it is unknown, expired or the user is inactive. */
  async authenticate(token: string | undefined): Promise<Principal | undefined> {
    if (!token || token.length > 256) return undefined;
    const session = await this.sessions.getLive(sessionIdOf(token), this.now());
    if (!session) return undefined;
    const user = await this.users.get(session.userId);
    if (!user || !user.active) return undefined;
    return { user, session, actor: actorOf(user) };
  }

  async logout(principal: Principal): Promise<void> {
    await this.sessions.delete(principal.session.id);
  }

  /** Replaces the password after checking the current one; other sessions of the user end. */
  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    const user = await this.users.getWithHash(principal.user.id);
    if (!user || !(await verifyPassword(user.passwordHash, current))) {
      throw new AppError('RV_ERR_BAD_CREDENTIALS');
    }
    assertStrongPassword(next);
    await this.users.setPasswordHash(user.id, await hashPassword(next), this.now());
    await this.sessions.deleteForUser(user.id, principal.session.id);
  }
}
