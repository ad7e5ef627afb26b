import { rooms } from '../../schemas/events.js';
import { parseHolidays } from '../engine/calendar.js';
import { provinces } from '../seed/organisation.js';
import type { ApiDeps } from './api-deps.js';
import type { RouteHandler } from './route-kit.js';
import { signedIn } from './typed-handler.js';

/**
 * Tells every account's live sockets that names changed (an account added, renamed or deactivated), so the
 * clients' directories reload. Not replayed: a client that reconnects reloads its directory anyway.
 */
export async function publishDirectoryChanged(deps: ApiDeps, what: 'users' | 'groups'): Promise<void> {
  const everyone = (await deps.users.list()).map((u) => rooms.user(u.id));
  await deps.eventLog.publish('directory:changed', everyone, { what }, { replay: false });
}

/** The directory every signed-in user reads to show names instead of codes (people, groups, provinces). */
export function directoryHandlers(deps: ApiDeps): Record<string, RouteHandler> {
  return {
    getDirectory: signedIn('getDirectory', async () => {
      const [users, groups] = await Promise.all([deps.users.list(), deps.groups.list()]);
      return {
        // display names only: roles, groups and languages of other people stay with GET /api/users
        users: users.map((u) => ({ id: u.id, name: u.name, active: u.active })),
        groups,
        provinces: provinces.map((p) => ({ code: p.code, name: p.name })),
        holidays: parseHolidays(deps.config.holidays),
      };
    }),
  };
}
