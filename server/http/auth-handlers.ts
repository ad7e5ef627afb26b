import type { Request, Response } from 'express';
import { AppError } from '../app-error.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/auth-service.js';
import { assertStrongPassword, hashPassword } from '../auth/passwords.js';
import type { GroupRecord } from '../ports/groups-port.js';
import type { UserRecord } from '../ports/users-port.js';
import type { ApiDeps } from './api-deps.js';
import { publishDirectoryChanged } from './directory-handlers.js';
import type { RouteHandler } from './route-kit.js';
import { publicRoute, signedIn } from './typed-handler.js';

/** The `me` view of a user: groups resolved to their names. */
export async function meView(deps: ApiDeps, user: UserRecord) {
  const known = new Map((await deps.groups.list()).map((g) => [g.id, g]));
  const groups: GroupRecord[] = user.groups.map(
    (id) => known.get(id) ?? { id, name: { fa: id, en: id }, kind: 'unknown' },
  );
  const capabilities = await deps.processRules.capabilities({
    id: user.id,
    roles: user.roles,
    groups: user.groups,
  });
  return { id: user.id, name: user.name, roles: user.roles, groups, language: user.language, capabilities };
}

function cookieOptions(req: Request, ttlHours: number, httpOnly: boolean) {
  return {
    httpOnly,
    sameSite: 'lax' as const,
    secure: req.secure,
    path: '/',
    maxAge: ttlHours * 3_600_000,
  };
}

function clearCookies(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.secure });
  res.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'lax', secure: req.secure });
}

async function assertGroupsExist(deps: ApiDeps, ids: string[]): Promise<void> {
  const known = new Set((await deps.groups.list()).map((g) => g.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AppError('RV_ERR_UNKNOWN_GROUP', { groups: unknown });
}

/** Sign-in, me, users and groups. */
export function authHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  const ttl = deps.config.sessionTtlHours;
  return {
    login: publicRoute('login', async ({ req, res, body: { username, password } }) => {
      const { token, principal } = await deps.auth.login(username, password);
      res.cookie(SESSION_COOKIE, token, cookieOptions(req, ttl, true));
      res.cookie(CSRF_COOKIE, principal.session.csrfToken, cookieOptions(req, ttl, false));
      return { user: await meView(deps, principal.user), csrfToken: principal.session.csrfToken };
    }),
    logout: signedIn('logout', async ({ req, res, principal }) => {
      await deps.auth.logout(principal);
      deps.sockets.endSession(principal.session.id);
      clearCookies(req, res);
    }),
    getMe: signedIn('getMe', async ({ principal }) => meView(deps, principal.user)),
    updateMe: signedIn('updateMe', async ({ principal, body: { language } }) => {
      const user = await deps.users.update(principal.user.id, { language });
      return meView(deps, user!);
    }),
    changePassword: signedIn('changePassword', async ({ principal, body }) => {
      const { currentPassword, newPassword } = body;
      await deps.auth.changePassword(principal, currentPassword, newPassword);
      await deps.sockets.endOtherSessions(principal.user.id, principal.session.id);
    }),
    listUsers: signedIn('listUsers', async () => ({ items: await deps.users.list() })),
    createUser: signedIn('createUser', async ({ body: input }) => {
      assertStrongPassword(input.password);
      await assertGroupsExist(deps, input.groups);
      const created = await deps.users.create({
        id: input.id,
        name: input.name,
        passwordHash: await hashPassword(input.password),
        roles: input.roles,
        groups: input.groups,
        language: input.language,
      });
      if (!created) throw new AppError('RV_ERR_USER_EXISTS');
      void publishDirectoryChanged(deps, 'users');
      return deps.users.get(input.id);
    }),
    updateUser: signedIn('updateUser', async ({ params: { id }, body: patch }) => {
      if (!(await deps.users.get(id))) throw new AppError('RV_ERR_USER_NOT_FOUND');
      if (patch.groups) await assertGroupsExist(deps, patch.groups);
      const user = await deps.users.update(id, patch);
      // a deactivated account is signed out everywhere
      if (patch.active === false) {
        await deps.sessions.deleteForUser(id);
        deps.sockets.endUser(id);
      } else if (user && (patch.roles || patch.groups)) {
        await deps.sockets.refreshUser(user);
      }
      if (patch.name || patch.active !== undefined) void publishDirectoryChanged(deps, 'users');
      return user;
    }),
    listGroups: signedIn('listGroups', async () => ({ items: await deps.groups.list() })),
  };
}
