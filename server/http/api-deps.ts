import type { AuthService } from '../auth/auth-service.js';
import type { Config } from '../config.js';
import type { Database } from '../persistence/database.js';
import type { WorkflowRuntime } from '../engine/types.js';
import type { CommentStore } from '../persistence/comment-store.js';
import type { EventLogStore } from '../persistence/event-log-store.js';
import type { GroupStore } from '../persistence/group-store.js';
import type { SessionStore } from '../persistence/session-store.js';
import type { UserRecord, UserStore } from '../persistence/user-store.js';
import type { EventLog } from '../realtime/event-log.js';
import type { MetricsService } from './metrics-service.js';
import type { AuditVerifier } from '../engine/projections/audit-verifier.js';

/** What the route handlers use, in one plain object. */
export interface ApiDeps {
  config: Config;
  db: Database;
  auth: AuthService;
  users: UserStore;
  groups: GroupStore;
  sessions: SessionStore;
  comments: CommentStore;
  eventLogStore: EventLogStore;
  eventLog: EventLog;
  metrics: MetricsService;
  /** Where task forms live (`<formKey>.json`). */
  formsDir: string;
  /** Ends live sockets when a session or account ends. */
  sockets: {
    endSession(sessionId: string): void;
    endUser(userId: string): void;
    endOtherSessions(userId: string, keepSessionId: string): Promise<void>;
    refreshUser(user: UserRecord): Promise<void>;
  };
  /** The audit chain's verifier (incremental and full); throws RV_ERR_ENGINE_UNAVAILABLE without an engine. */
  auditVerifier(): AuditVerifier;
  /** The engine; throws RV_ERR_ENGINE_UNAVAILABLE until one is wired. */
  runtime(): WorkflowRuntime;
}
