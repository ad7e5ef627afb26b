import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  WireEvent,
  WireEventName,
} from '../../../schemas/events.js';
import { api } from './api.js';

export type LiveEventName = WireEventName;
export type LiveEvents = { [E in WireEventName]: WireEvent<E> };
const NAMES: WireEventName[] = [
  'task:created',
  'task:updated',
  'task:completed',
  'instance:updated',
  'incident:raised',
  'metrics:updated',
  'comment:added',
  'directory:changed',
  'document:added',
  'notification:added',
];

type Handler<E extends WireEventName> = (payload: WireEvent<E>) => void;

/**
 * The live connection: Socket.IO on the same origin with the session cookie (schemas/events.ts is the
 * contract). Events are de-duplicated by `seq`; after a reconnect the missed ones are fetched from
 * GET /api/events?after=<seq> and replayed in order; if the log was trimmed, `reset` tells views to reload.
 * @fires status when connected/disconnected changes
 * @fires reset when missed events cannot be replayed (views reload their data)
 */
export class LiveSocket extends EventTarget {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private lastSeq = 0;
  private readonly handlers = new Map<WireEventName, Set<Handler<WireEventName>>>();
  private readonly rooms = new Set<string>();
  connected = false;

  /** Opens the connection (after sign-in); safe to call twice. */
  connect(): void {
    if (this.socket) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      withCredentials: true,
      transports: ['websocket', 'polling'],
    });
    this.socket = socket;
    let first = true;
    socket.on('connect', () => {
      this.setConnected(true);
      for (const instanceId of this.rooms) socket.emit('instance:subscribe', instanceId, () => undefined);
      if (!first) void this.catchUp();
      first = false;
    });
    socket.on('disconnect', () => this.setConnected(false));
    socket.on('connect_error', () => this.setConnected(false));
    for (const name of NAMES) {
      (socket as unknown as Socket).on(name, (payload: WireEvent<typeof name>) =>
        this.deliver(name, payload),
      );
    }
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = undefined;
    this.rooms.clear();
    this.lastSeq = 0;
    this.setConnected(false);
  }

  /** Listens to one wire event; returns the unsubscribe function. */
  on<E extends WireEventName>(name: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as Handler<WireEventName>);
    return () => set.delete(handler as Handler<WireEventName>);
  }

  /** Joins the room of one instance (the server checks that the user may read it). */
  subscribeInstance(instanceId: string): () => void {
    this.rooms.add(instanceId);
    this.socket?.emit('instance:subscribe', instanceId, () => undefined);
    return () => {
      this.rooms.delete(instanceId);
      this.socket?.emit('instance:unsubscribe', instanceId);
    };
  }

  private deliver(name: WireEventName, payload: WireEvent<WireEventName>): void {
    const seq = typeof payload?.seq === 'number' ? payload.seq : undefined;
    if (seq !== undefined) {
      if (seq <= this.lastSeq) return;
      this.lastSeq = seq;
    }
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        console.error(err);
      }
    }
  }

  private async catchUp(): Promise<void> {
    if (this.lastSeq === 0) return;
    try {
      const { items, reset, lastSeq } = await api.events(this.lastSeq);
      if (reset) {
        this.lastSeq = lastSeq;
        this.dispatchEvent(new Event('reset'));
        return;
      }
      for (const e of items.sort((a, b) => a.seq - b.seq)) {
        if (!NAMES.includes(e.event as WireEventName)) continue;
        this.deliver(
          e.event as WireEventName,
          { ...e.payload, seq: e.seq } as unknown as WireEvent<WireEventName>,
        );
      }
    } catch {
      // the next reconnect tries again
    }
  }

  private setConnected(value: boolean): void {
    if (value === this.connected) return;
    this.connected = value;
    this.dispatchEvent(new Event('status'));
  }
}

export const live = new LiveSocket();
