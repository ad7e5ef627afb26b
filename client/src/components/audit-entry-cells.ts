import { html, nothing } from 'lit';
import { en as messagesEn } from '../i18n/catalogue.js';
import { i18n, t, type MessageKey } from '../i18n/i18n.js';
import { linkClick } from '../services/router.js';
import type { AuditEntryView } from '../services/types.js';

/** What the cells read of an entry (a trail entry, or the verification's broken one). */
type Entry = Pick<AuditEntryView, 'instanceId' | 'reference' | 'processName' | 'elementId' | 'stepName'>;

const FAMILIES: Record<string, MessageKey> = {
  'instance.': 'audit.kind.instance',
  'task.': 'audit.kind.task',
  'incident.': 'audit.kind.incident',
  'service.': 'audit.kind.service',
  'definition.': 'audit.kind.definition',
};

/** The label of an audit entry type (`task.completed` → "Task completed"), else the type itself. */
export function kindLabel(type: string): string {
  if (type.endsWith('.')) return FAMILIES[type] ? t(FAMILIES[type]) : type;
  const key = `audit.${type}`;
  return key in messagesEn ? t(key as MessageKey) : type;
}

/**
 * The instance of an entry as a person knows it: its reference (a short id when it has none) linked to the
 * instance, its process's name below; the full id on hover. A deployment shows the process it deployed.
 */
export function instanceCell(e: Entry) {
  const process = e.processName
    ? html`<div class="process small muted">${i18n.text(e.processName)}</div>`
    : nothing;
  if (!e.instanceId) return process;
  const name = e.reference ?? `${e.instanceId.slice(0, 8)}…`;
  return html`<a
      href="/instances/${encodeURIComponent(e.instanceId)}"
      title=${e.instanceId}
      data-instance=${e.instanceId}
      @click=${linkClick}
      ><bdi>${name}</bdi></a
    >${process}`;
}

/** The step of an entry by its name in the current language; the element id on hover. */
export function stepCell(e: Entry) {
  if (!e.elementId) return nothing;
  return html`<bdi title=${e.elementId} data-element=${e.elementId}
    >${e.stepName ? i18n.text(e.stepName) : e.elementId}</bdi
  >`;
}
