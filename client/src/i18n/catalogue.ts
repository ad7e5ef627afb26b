import { filesEn, filesFa } from './catalogue-files.js';
import { formsEn, formsFa } from './catalogue-forms.js';
import { instancesEn, instancesFa } from './catalogue-instances.js';
import { notificationsEn, notificationsFa } from './catalogue-notifications.js';
import { modellerEn, modellerFa } from './catalogue-modeller.js';
import { oversightEn, oversightFa } from './catalogue-oversight.js';
import { panelEn, panelFa } from './catalogue-panel.js';
import { shellEn, shellFa } from './catalogue-shell.js';
import { tasksEn, tasksFa } from './catalogue-tasks.js';

/** The client's own texts in English (the key set) and Dari, one file per area; server messages arrive already in both. */
export const en = {
  ...shellEn,
  ...tasksEn,
  ...instancesEn,
  ...oversightEn,
  ...filesEn,
  ...panelEn,
  ...formsEn,
  ...notificationsEn,
  ...modellerEn,
} as const;

export type MessageKey = keyof typeof en;

export const fa: Record<MessageKey, string> = {
  ...shellFa,
  ...tasksFa,
  ...instancesFa,
  ...oversightFa,
  ...filesFa,
  ...panelFa,
  ...formsFa,
  ...notificationsFa,
  ...modellerFa,
};
