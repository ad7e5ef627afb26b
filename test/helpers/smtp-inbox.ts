import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitUntil } from './wait.js';

/** A real SMTP server on 127.0.0.1 (port 0) that keeps every mail it accepts, parsed. */
export interface SmtpInbox {
  url: string;
  port: number;
  mails: ParsedMail[];
  /** Refuse the next `n` mails with a temporary error (451) after reading them. */
  refuseNext(n: number): void;
  /** How many mails were refused so far. */
  refused(): number;
  /** Waits until at least `n` mails arrived; returns them. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** Starts the `smtp-server` package (no TLS, no auth) and reads what arrives with `mailparser`. */
export async function startSmtpInbox(port = 0): Promise<SmtpInbox> {
  const mails: ParsedMail[] = [];
  let toRefuse = 0;
  let refusedCount = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (toRefuse > 0) {
            toRefuse--;
            refusedCount++;
            const err = new Error('try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            callback(err);
            return;
          }
          mails.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${actual}`,
    port: actual,
    mails,
    refuseNext(n) {
      toRefuse = n;
    },
    refused: () => refusedCount,
    waitFor: (n, timeoutMs = 15_000) =>
      waitUntil(() => (mails.length >= n ? mails : undefined), `${n} mails`, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
