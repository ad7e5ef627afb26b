import type { Connection } from 'mongoose';
import { commentModel } from '../persistence/comment-store.js';
import { eventLogModel } from '../persistence/event-log-store.js';
import { groupModel } from '../persistence/group-store.js';
import { sessionModel } from '../persistence/session-store.js';
import { userModel } from '../persistence/user-store.js';

/** Registers the models of the HTTP/realtime layer, so `db.ensureIndexes()` creates their collections. */
export function registerHttpModels(conn: Connection): void {
  userModel(conn);
  groupModel(conn);
  sessionModel(conn);
  eventLogModel(conn);
  commentModel(conn);
}
