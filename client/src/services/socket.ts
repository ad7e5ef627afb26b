import { io, type Socket } from 'socket.io-client';
import { api, type LiveEnvelope } from './api.js';
import type { InstanceSummary, TaskRecord } from './types.js';

/** Wire events pushed by the server (each carries a monotonically increasing `seq`). */
export interface LiveEvents {
  'task:created': { seq: number; task: TaskRecord };
  'task:updated': { seq: number; task: TaskRecord };
  'task:completed': { seq: number; task: TaskRecord };
  'instance:updated': { seq: number; instance: InstanceSummary };
  'incident:raised': { seq: number; instance?: InstanceSummary; instanceId?: string };
  'metrics:updated': { seq: number; [key: string]: unknown };
}
export type LiveEventName = keyof LiveEvents;
const NAMES: LiveEventName[] = [
  'task:created',
  'task:updated',
  'task:completed',
  'instance:updated',
  'incident:raised',
  'metrics:updated',
];

type Handler<E extends LiveEventName> = (payload: LiveEvents[E]) => void;

/**
 * The live connection: Socket.IO on the same origin with the session cookie. Events are de-duplicated by
 * `seq`; after a reconnect the missed ones are fetched from GET /api/events?after=<seq> and replayed in order.
 * @fires status when connected/disconnected changes
 */
export class LiveSocket extends EventTarget {
  private socket: Socket | undefined;
  private lastSeq = 0;
  private readonly handlers = new Map<LiveEventName, Set<Handler<LiveEventName>>>();
  private readonly rooms = new Set<string>();
  connected = false;

  /** Opens the connection (after sign-in); safe to call twice. */
  connect(): void {
    if (this.socket) return;
    const socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    this.socket = socket;
    let first = true;
    socket.on('connect', () => {
      this.setConnected(true);
      for (const instanceId of this.rooms) socket.emit('subscribe', { instanceId });
      if (!first) void this.catchUp();
      first = false;
    });
    socket.on('disconnect', () => this.setConnected(false));
    socket.on('connect_error', () => this.setConnected(false));
    for (const name of NAMES)
      socket.on(name, (payload: LiveEvents[typeof name]) => this.deliver(name, payload));
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = undefined;
    this.rooms.clear();
    this.setConnected(false);
  }

  /** Listens to one wire event; returns the unsubscribe function. */
  on<E extends LiveEventName>(name: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as Handler<LiveEventName>);
    return () => set.delete(handler as Handler<LiveEventName>);
  }

  /** Joins the room of one instance (the server checks that the user may read it). */
  subscribeInstance(instanceId: string): () => void {
    this.rooms.add(instanceId);
    this.socket?.emit('subscribe', { instanceId });
    return () => {
      this.rooms.delete(instanceId);
      this.socket?.emit('unsubscribe', { instanceId });
    };
  }

  private deliver(name: LiveEventName, payload: LiveEvents[LiveEventName]): void {
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
      const missed: LiveEnvelope[] = await api.events(this.lastSeq);
      for (const e of missed.sort((a, b) => a.seq - b.seq)) {
        const name = (e.type ?? e.event ?? e.name) as LiveEventName;
        if (!NAMES.includes(name)) continue;
        const body = (e.payload ?? e.data ?? {}) as Record<string, unknown>;
        this.deliver(name, { ...body, seq: e.seq } as LiveEvents[LiveEventName]);
      }
    } catch {
      // the next event or reconnect will try again
    }
  }

  private setConnected(value: boolean): void {
    if (value === this.connected) return;
    this.connected = value;
    this.dispatchEvent(new Event('status'));
  }
}

export const live = new LiveSocket();
