import type { ServiceHandler } from './types.js';

/** Named TypeScript services that `camunda:topic` refers to; deploy refuses unknown names. */
export class ServiceRegistry {
  private readonly services = new Map<string, ServiceHandler>();

  constructor(initial: Record<string, ServiceHandler> = {}) {
    for (const [name, handler] of Object.entries(initial)) this.register(name, handler);
  }

  register(name: string, handler: ServiceHandler): this {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) throw new Error(`invalid service name: ${name}`);
    this.services.set(name, handler);
    return this;
  }

  has(name: string): boolean {
    return this.services.has(name);
  }

  get(name: string): ServiceHandler | undefined {
    return this.services.get(name);
  }

  names(): string[] {
    return [...this.services.keys()].sort();
  }
}
