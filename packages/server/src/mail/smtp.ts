// Sends through an SMTP server given as SMTP_URL: smtps:// is implicit TLS, smtp:// upgrades with STARTTLS when offered.
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import { checkMail, checkSender } from './check-mail.js';
import { MailError } from './mail-error.js';
import type { Mailbox } from './mailbox.js';
import type { Mail, Mailer } from './mailer.js';

export interface SmtpOptions {
  /** smtp://user:password@host:port or smtps://…; percent-encode special characters of user and password. */
  url: string;
  from: Mailbox;
  /** Limit for connecting and for the server's greeting; a send fails after it instead of hanging. */
  connectTimeoutMs?: number;
}

export class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  private readonly transport: Transporter;
  private readonly from: Mailbox;
  private readonly server: string;
  private readonly user: string;
  /** The password as written in SMTP_URL and decoded; never shown. */
  private readonly secrets: string[];

  constructor(options: SmtpOptions) {
    const url = URL.canParse(options.url) ? new URL(options.url) : null;
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')) {
      throw new MailError('SMTP: SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
    }
    const secure = url.protocol === 'smtps:';
    this.server = `${url.hostname}:${url.port || (secure ? 465 : 587)}`;
    this.user = safeDecode(url.username);
    this.secrets = [url.password, safeDecode(url.password)].filter((secret) => secret.length > 0);
    this.from = checkSender(options.from);
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    // Pooled: a weekly report to many members reuses a few connections instead of one handshake per message.
    this.transport = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: 3,
      connectionTimeout: connectTimeoutMs,
      greetingTimeout: connectTimeoutMs,
      socketTimeout: 60_000,
    });
  }

  async send(mail: Mail): Promise<{ id: string }> {
    const checked = checkMail(mail);
    try {
      const info = await this.transport.sendMail({
        // A checked mail holds reply-to and html only when given.
        from: this.from,
        ...checked,
      });
      return { id: String(info.messageId) };
    } catch (err) {
      throw new MailError(this.describe(err as NodemailerError), { cause: err });
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private describe(err: NodemailerError): string {
    const detail = this.redact(err.response ?? err.message);
    switch (err.code) {
      case 'EAUTH':
        return `SMTP: ${this.server} refused the login of user ${JSON.stringify(this.user)} (${detail}); check the user and password in SMTP_URL`;
      case 'ENOAUTH':
        return `SMTP: ${this.server} needs a login; put user and password into SMTP_URL (smtp://user:password@host)`;
      case 'ETLS':
        return `SMTP: TLS with ${this.server} failed (${detail}); smtps:// is for implicit TLS (port 465), smtp:// for STARTTLS (587)`;
      case 'EENVELOPE':
      case 'EMESSAGE':
        return `SMTP: ${this.server} refused the message (${detail})`;
      case 'ECONNECTION':
      case 'ESOCKET':
      case 'ETIMEDOUT':
      case 'EDNS': {
        const reason = err.originalCode ?? err.code;
        return `SMTP: could not reach ${this.server} (${reason}: ${detail}); check the host and port in SMTP_URL and that the server is up`;
      }
      default:
        return `SMTP: sending through ${this.server} failed (${err.code ?? 'error'}: ${detail})`;
    }
  }

  // Servers may echo what they were sent; the password never goes into a message or log.
  private redact(text: string): string {
    return this.secrets.reduce((redacted, secret) => redacted.split(secret).join('***'), String(text));
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
