/**
 * The wiki's outgoing mail (WIKI_SMTP_URL, SPEC section 1), sent with nodemailer: a well-kept SMTP
 * client (TLS, STARTTLS, authentication, pooling) the wiki should not write itself. Messages wait
 * in a bounded queue and go out one at a time in the background, so no request waits for a mail
 * server, and one that is down or slow costs requests nothing.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from './config.js';

export interface Message {
  to: string;
  subject: string;
  text: string;
}

export interface Mail {
  /** Whether the wiki sends mail at all (WIKI_SMTP_URL set); pages say so plainly when it does not. */
  readonly enabled: boolean;
  /** Queue a message; dropped (and reported) when the queue is full or mail is off. */
  send(message: Message): void;
  /** Resolves when every queued message has been sent or given up on (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

/** Messages waiting at most; more are dropped and reported, so a dead mail server cannot fill memory. */
const QUEUE_LIMIT = 1000;
/** Attempts at each message, a few seconds apart, before it is given up on and reported. */
const ATTEMPTS = 3;
const RETRY_MS = 2000;

/** No mail: every send is a no-op (the pages that would send say so). */
export const NO_MAIL: Mail = Object.freeze({ enabled: false, send: () => undefined, idle: async () => undefined, close: () => undefined });

export function createMail(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, report: (err: unknown) => void = (e) => console.error('mail:', e)): Mail {
  if (!config.smtpUrl) return NO_MAIL;
  const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
  const queue: Message[] = [];
  let running: Promise<void> | undefined;
  let closed = false;

  const deliver = async (m: Message): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await transport.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text });
        return;
      } catch (e) {
        if (attempt >= ATTEMPTS || closed) {
          report(new Error(`could not send "${m.subject}" after ${attempt} attempts: ${e instanceof Error ? e.message : String(e)}`));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS * attempt).unref());
      }
    }
  };

  const pump = async (): Promise<void> => {
    for (let m = queue.shift(); m; m = queue.shift()) await deliver(m);
    running = undefined;
  };

  return {
    enabled: true,
    send(message) {
      if (closed) return;
      if (queue.length >= QUEUE_LIMIT) {
        report(new Error(`mail queue full (${QUEUE_LIMIT} messages waiting): dropped "${message.subject}"; is the server at WIKI_SMTP_URL up?`));
        return;
      }
      queue.push(message);
      running ??= pump();
    },
    async idle() {
      while (running) await running;
    },
    close() {
      closed = true;
      queue.length = 0;
      transport.close();
    },
  };
}
