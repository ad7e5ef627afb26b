import type { Connection } from 'mongoose';
import { commentModel } from './comment-store.js';
import { eventLogModel } from './event-log-store.js';
import { groupModel } from './group-store.js';
import { sessionModel } from './session-store.js';
import { userModel } from './user-store.js';

/** Registers the models of the HTTP/realtime layer, so `db.ensureIndexes()` creates their collections. */
export function registerHttpModels(conn: Connection): void {
  userModel(conn);
  groupModel(conn);
  sessionModel(conn);
  eventLogModel(conn);
  commentModel(conn);
}
