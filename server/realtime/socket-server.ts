import type { Server as SocketServer, Socket } from 'socket.io';
import { parse as parseCookies } from 'cookie';
import { AppError } from '../app-error.js';
import { actorOf, SESSION_COOKIE, type AuthService, type Principal } from '../auth/auth-service.js';
import { InstanceQueue } from '../engine/instance-queue.js';
import type { WorkflowRuntime } from '../engine/types.js';
import { DASHBOARD_ROLES } from '../policy/access-matrix.js';
import { canReadInstance } from '../policy/visibility.js';
import { ID_PATTERN } from '../../schemas/api/common.js';
import {
  rooms,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../schemas/events.js';
import type { UserRecord } from '../ports/users-port.js';

export type RavandSocketServer = SocketServer<ClientToServerEvents, ServerToClientEvents, never, SocketData>;
type RavandSocket = Socket<ClientToServerEvents, ServerToClientEvents, never, SocketData>;

/** The rooms a user's sockets join, and whose events `GET /api/events` returns to them. */
export function roomsOfUser(user: UserRecord): string[] {
  const out = [rooms.user(user.id), ...user.groups.map(rooms.group)];
  if (user.roles.some((r) => DASHBOARD_ROLES.includes(r))) out.push(rooms.dashboard);
  return out;
}

const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const INSTANCE_ROOM = rooms.instance('');
const idPattern = new RegExp(ID_PATTERN);

function refuse(code: 'RV_ERR_UNAUTHENTICATED' | 'RV_ERR_CSRF'): Error {
  const err = new Error(code) as Error & { data: unknown };
  err.data = new AppError(code).toBody();
  return err;
}

export interface SocketOptions {
  auth: AuthService;
  origins: string[];
  runtime: () => WorkflowRuntime | undefined;
}

/**
 * Authenticates every handshake with the HTTP session cookie (refused without one), joins the user's rooms,
 * and answers `instance:subscribe` only for instances the user may read.
 */
export function attachSockets(io: RavandSocketServer, options: SocketOptions) {
  io.use(async (socket, next) => {
    const origin = socket.handshake.headers.origin;
    // browsers always send Origin on WebSocket and polling requests; a foreign one is cross-site hijacking
    if (origin && !options.origins.includes(origin)) return next(refuse('RV_ERR_CSRF'));
    const token = parseCookies(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
    let principal: Principal | undefined;
    try {
      principal = await options.auth.authenticate(token);
    } catch {
      principal = undefined;
    }
    if (!principal) return next(refuse('RV_ERR_UNAUTHENTICATED'));
    socket.data.userId = principal.user.id;
    (socket as unknown as { principal: Principal }).principal = principal;
    next();
  });

  io.on('connection', (socket: RavandSocket) => {
    const principal = (socket as unknown as { principal: Principal }).principal;
    socket.data.sessionId = principal.session.id;
    void socket.join([...roomsOfUser(principal.user), sessionRoom(principal.session.id)]);
    // a socket outlives nothing: it closes when its session expires
    const left = Date.parse(principal.session.expiresAt) - Date.now();
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    expiry.unref();
    socket.once('disconnect', () => clearTimeout(expiry));

    socket.on('instance:subscribe', async (instanceId, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      try {
        if (typeof instanceId !== 'string' || !idPattern.test(instanceId))
          throw new AppError('RV_ERR_INVALID_ID');
        const runtime = options.runtime();
        if (!runtime) throw new AppError('RV_ERR_ENGINE_UNAVAILABLE');
        // re-check the session: it may have ended since the handshake
        const current = await options.auth.authenticate(
          parseCookies(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE],
        );
        if (!current) throw new AppError('RV_ERR_UNAUTHENTICATED');
        const instance = await runtime.getInstance(instanceId);
        if (!(await canReadInstance(runtime, instance, current.actor)))
          throw new AppError('RV_ERR_FORBIDDEN');
        await socket.join(rooms.instance(instanceId));
        reply({ ok: true });
      } catch (err) {
        reply({ ok: false, code: err instanceof AppError ? err.code : 'RV_ERR_INTERNAL' });
      }
    });
    socket.on('instance:unsubscribe', (instanceId) => {
      if (typeof instanceId === 'string') void socket.leave(rooms.instance(instanceId));
    });
  });

  // one refresh per user at a time (the queue serialises by key), so an older one never finishes last
  const refreshing = new InstanceQueue();
  async function refresh(user: UserRecord): Promise<void> {
    const wanted = new Set(roomsOfUser(user));
    const actor = actorOf(user);
    const runtime = options.runtime();
    const subscribed = new Set<string>();
    for (const s of await io.in(rooms.user(user.id)).fetchSockets())
      for (const room of s.rooms) if (room.startsWith(INSTANCE_ROOM)) subscribed.add(room);
    // decide first, then move the sockets in one synchronous pass over the ones still connected
    const readable = new Set<string>();
    await Promise.all(
      [...subscribed].map(async (room) => {
        if (!runtime) return;
        const ok = await runtime
          .getInstance(room.slice(INSTANCE_ROOM.length))
          .then((instance) => canReadInstance(runtime, instance, actor))
          .catch(() => false);
        if (ok) readable.add(room);
      }),
    );
    for (const s of await io.in(rooms.user(user.id)).fetchSockets()) {
      for (const room of s.rooms) {
        const stale = (room.startsWith('group:') || room === rooms.dashboard) && !wanted.has(room);
        if (stale || (subscribed.has(room) && !readable.has(room))) s.leave(room);
      }
      s.join([...wanted]);
    }
  }

  return {
    /** Disconnects the sockets of a session that ended (sign-out). */
    endSession(sessionId: string) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    /** Disconnects every socket of a user (deactivated). */
    endUser(userId: string) {
      io.in(rooms.user(userId)).disconnectSockets(true);
    },
    /** Disconnects a user's sockets of other sessions (after a password change). */
    async endOtherSessions(userId: string, keepSessionId: string) {
      for (const s of await io.in(rooms.user(userId)).fetchSockets()) {
        if (s.data.sessionId !== keepSessionId) s.disconnect(true);
      }
    },
    /**
     * Moves a user's live sockets to the rooms of their new roles and groups, and out of the instances they
     * subscribed to that the new roles and groups no longer let them read. An instance whose readability
     * cannot be told now (engine or database down) is left, like one that may not be read: the client
     * subscribes again when it shows it.
     */
    refreshUser(user: UserRecord): Promise<void> {
      return refreshing.run(user.id, () => refresh(user));
    },
  };
}
