import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WireEvent } from '../../../schemas/events.js';
import { live, type LiveEventName } from '../services/socket.js';

/** Subscribes its host to wire events while it is connected to the page. */
export class LiveController implements ReactiveController {
  private readonly subscriptions: Array<() => () => void> = [];
  private active: Array<() => void> = [];

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  on<E extends LiveEventName>(name: E, handler: (payload: WireEvent<E>) => void): this {
    this.subscriptions.push(() => live.on(name, handler));
    return this;
  }

  hostConnected(): void {
    this.active = this.subscriptions.map((subscribe) => subscribe());
  }

  hostDisconnected(): void {
    for (const off of this.active) off();
    this.active = [];
  }
}
