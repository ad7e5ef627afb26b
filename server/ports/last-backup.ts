/** The last backup the scheduler (or an administrator) took, for the admin page and `/api/metrics`. */
export interface LastBackup {
  at: string;
  bytes: number;
  file: string;
}
