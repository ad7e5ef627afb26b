import type { InstanceRecord } from './stores.js';
import type { InstanceSummary } from './types.js';

/** The public view of an instance record (no engine state, no derived records). */
export function instanceSummary(rec: InstanceRecord): InstanceSummary {
  const s: InstanceSummary = {
    id: rec.id,
    definitionId: rec.definitionId,
    key: rec.key,
    version: rec.version,
    status: rec.status,
    variables: rec.variables,
    waiting: rec.waiting,
    startedAt: rec.startedAt,
    startedBy: rec.startedBy,
  };
  if (rec.businessKey) s.businessKey = rec.businessKey;
  if (rec.incident) s.incident = rec.incident;
  if (rec.endedAt) s.endedAt = rec.endedAt;
  if (rec.cancelReason) s.cancelReason = rec.cancelReason;
  if (rec.parentId) s.parentId = rec.parentId;
  return s;
}
