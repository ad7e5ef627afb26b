import type { Clock } from '../clock.js';
import type { Committer } from '../committer.js';
import type { Definitions } from '../definitions.js';
import type { EventBus } from '../event-bus.js';
import type { RuntimeHooks } from '../hooks.js';
import type { InstanceCommands } from '../instance-commands.js';
import type { LiveEngines } from '../live-engines.js';
import type { RuntimeStores } from '../stores.js';
import type { TaskAttributes } from '../task-attributes.js';
import type { FlowCatalogs } from './flow-catalogs.js';

/**
 * The core services a feature is built with (like the services a diagram-js module names): it registers on
 * `hooks` in its constructor and runs its commands through `engines.run` and `committer.commit`, so every step
 * is queued per instance, checkpointed and audited like the core's own.
 */
export interface FeatureContext {
  hooks: RuntimeHooks;
  stores: RuntimeStores;
  clock: Clock;
  events: EventBus;
  engines: LiveEngines;
  committer: Committer;
  definitions: Definitions;
  instances: InstanceCommands;
  catalogs: FlowCatalogs;
  taskAttributes: TaskAttributes;
  /** Resolves once the records derived from the instance's last checkpoint are written. */
  settledFor(instanceId: string): Promise<void>;
  /**
   * False while the runtime closes, or after `holdHandOvers()` (crash tests): thrown messages and a child's
   * result are then left for the next start to deliver.
   */
  handOversOpen(): boolean;
}
