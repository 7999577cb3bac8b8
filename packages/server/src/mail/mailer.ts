// Opens the mailer the configuration asks for: Resend when RESEND_API_KEY is set, else SMTP_URL, else DATA_DIR/outbox.
import path from 'node:path';
import type { Config } from '../config/config.js';
import { parseMailbox, type Mailbox } from './mailbox.js';
import { OutboxMailer } from './outbox.js';
import { ResendMailer } from './resend.js';
import { SmtpMailer } from './smtp.js';

export interface Mail {
  /** One address, `a@b.example` or `Name <a@b.example>`. */
  to: string;
  /** One line; a line break is refused, never folded. */
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
}

export interface Mailer {
  readonly kind: 'outbox' | 'smtp' | 'resend';
  /** Resolves once the message is handed over; id: the outbox file name, the SMTP Message-ID or Resend's id. Rejects with MailError. */
  send(mail: Mail): Promise<{ id: string }>;
  /** Closes connections; call once the sends have settled. */
  close(): Promise<void>;
}

export type MailerConfig = Pick<Config, 'RESEND_API_KEY' | 'SMTP_URL' | 'MAIL_FROM' | 'BASE_URL' | 'dataDir'>;

/** The configured mailer; throws MailError when the sender or the transport settings cannot work. */
export function openMailer(config: MailerConfig): Mailer {
  const from = mailFromOf(config);
  if (config.RESEND_API_KEY) return new ResendMailer({ apiKey: config.RESEND_API_KEY, from });
  if (config.SMTP_URL) return new SmtpMailer({ url: config.SMTP_URL, from });
  return new OutboxMailer({ dir: path.join(config.dataDir, 'outbox'), from });
}

/** MAIL_FROM, else `Eesee Metrics <no-reply@host of BASE_URL>` (`localhost` when BASE_URL is unset or no domain name). */
export function mailFromOf(config: Pick<Config, 'MAIL_FROM' | 'BASE_URL'>): Mailbox {
  const configured = config.MAIL_FROM === undefined ? null : parseMailbox(config.MAIL_FROM);
  if (configured) return configured;
  // An IP address or a name like my_host makes no address; parseMailbox refuses those.
  const host = config.BASE_URL ? new URL(config.BASE_URL).hostname.replace(/\.$/, '') : '';
  const derived = host ? parseMailbox(`no-reply@${host}`) : null;
  return { name: 'Eesee Metrics', address: derived?.address ?? 'no-reply@localhost' };
}
