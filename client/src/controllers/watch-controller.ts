import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host whenever one of the given targets fires one of the given events (language, session, route). */
export class WatchController implements ReactiveController {
  private readonly listener = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly sources: Array<[EventTarget, string]>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [target, event] of this.sources) target.addEventListener(event, this.listener);
  }

  hostDisconnected(): void {
    for (const [target, event] of this.sources) target.removeEventListener(event, this.listener);
  }
}
