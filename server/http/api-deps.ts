import type { AuthService } from '../auth/auth-service.js';
import type { Config } from '../config.js';
import type { DatabaseHealth } from '../ports/database-health.js';
import type { WorkflowRuntime } from '../engine/types.js';
import type { AuditStore } from '../engine/stores.js';
import type { ProcessRules } from './process-rules.js';
import type { CommentsPort } from '../ports/comments-port.js';
import type { EventLogPort } from '../ports/event-log-port.js';
import type { GroupsPort } from '../ports/groups-port.js';
import type { SessionsPort } from '../ports/sessions-port.js';
import type { UserRecord, UsersPort } from '../ports/users-port.js';
import type { EventLog } from '../realtime/event-log.js';
import type { LastBackup } from '../ports/last-backup.js';
import type { MetricsPort } from '../ports/metrics-port.js';
import type { DocumentService } from '../documents/document-service.js';
import type { Actor, AuditEvent } from '../engine/types.js';
import type { DocumentRecord } from '../../schemas/documents.js';
import type { Notifications } from '../notifications/notifications.js';
import type { FormDraftsPort } from '../ports/form-drafts-port.js';

/** Generates an official letter again as the next version of its document (server/letters). */
export interface LetterRegenerator {
  regenerate(
    document: DocumentRecord,
    actor: Actor,
    reason: string | undefined,
    variables: Readonly<Record<string, unknown>>,
  ): Promise<DocumentRecord>;
}

/** Taking and listing backups (the server's BackupScheduler). */
export interface Backups {
  schedule: { time: string; keep: number };
  last(): LastBackup | undefined;
  list(): LastBackup[];
  runNow(): Promise<LastBackup>;
}
import type { AuditVerifier } from '../engine/projections/audit-verifier.js';
import type { AuditIndexKeeper } from '../engine/projections/audit-index-keeper.js';
import type { InstanceLookup } from './audit-labels.js';

/** What the route handlers use, in one plain object. */
export interface ApiDeps {
  config: Config;
  db: DatabaseHealth;
  auth: AuthService;
  users: UsersPort;
  groups: GroupsPort;
  sessions: SessionsPort;
  comments: CommentsPort;
  eventLogStore: EventLogPort;
  eventLog: EventLog;
  metrics: MetricsPort;
  /** Starters, start forms, references, capabilities and the four-eyes rule, read from the deployed models. */
  processRules: ProcessRules;
  /** The audit trail, read for the auditor's desk (the runtime writes it); `read`: entries by seq (`_id` reads). */
  auditReader: Pick<AuditStore, 'byInstance' | 'scan'> & { read(seqs: number[]): Promise<AuditEvent[]> };
  /** The auditor's desk's index of the chain; throws RV_ERR_ENGINE_UNAVAILABLE without an engine. */
  auditIndex(): Pick<AuditIndexKeeper, 'current'>;
  /** Where task forms live (`<formKey>.json`). */
  formsDir: string;
  /** The form designer's drafts (not yet deployed). */
  formDrafts: FormDraftsPort;
  /** Ends live sockets when a session or account ends. */
  sockets: {
    endSession(sessionId: string): void;
    endUser(userId: string): void;
    endOtherSessions(userId: string, keepSessionId: string): Promise<void>;
    refreshUser(user: UserRecord): Promise<void>;
  };
  /** Backups of the whole database; absent where none are configured (tests' harnesses). */
  backups?: Backups;
  /** Attachments and letters of instances. */
  documents: DocumentService;
  /** Official letters; absent without an engine. */
  letters?: LetterRegenerator;
  /** The audit chain's verifier (incremental and full); throws RV_ERR_ENGINE_UNAVAILABLE without an engine. */
  auditVerifier(): AuditVerifier;
  /** The in-memory instance index (references and processes of instances, for the audit desk's labels). */
  instanceIndex(): Promise<InstanceLookup | undefined>;
  /** The bell and mail notifications; absent without an engine. */
  notifications?: Notifications;
  /** The engine; throws RV_ERR_ENGINE_UNAVAILABLE until one is wired. */
  runtime(): WorkflowRuntime;
}
