import { EventEmitter } from 'node:events';
import { log } from '../logger.js';
import type { RuntimeEventName, RuntimeEvents, RuntimeEventSource } from './types.js';

/** The typed runtime event bus; a throwing listener is logged and never reaches the engine. */
export class EventBus implements RuntimeEventSource {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  on<E extends RuntimeEventName>(event: E, listener: (payload: RuntimeEvents[E]) => void): void {
    this.emitter.on(event, listener);
  }

  off<E extends RuntimeEventName>(event: E, listener: (payload: RuntimeEvents[E]) => void): void {
    this.emitter.off(event, listener);
  }

  emit<E extends RuntimeEventName>(event: E, payload: RuntimeEvents[E]): void {
    for (const listener of this.emitter.listeners(event)) {
      try {
        (listener as (p: RuntimeEvents[E]) => void)(payload);
      } catch (err) {
        log.error('runtime event listener failed', { event, error: String(err) });
      }
    }
  }
}
