// Sends through Resend's HTTP API (POST /emails) with the RESEND_API_KEY.
import { checkMail, checkSender } from './check-mail.js';
import { MailError } from './mail-error.js';
import { formatMailbox, type Mailbox } from './mailbox.js';
import type { Mail, Mailer } from './mailer.js';

export interface ResendOptions {
  apiKey: string;
  from: Mailbox;
  /** Where the API lives; only tests point it elsewhere. */
  baseUrl?: string;
  timeoutMs?: number;
}

export class ResendMailer implements Mailer {
  readonly kind = 'resend' as const;
  private readonly apiKey: string;
  private readonly from: string;
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(options: ResendOptions) {
    // A space or line break in the key would make every request fail with a confusing network error.
    if (!/^[\x21-\x7e]+$/.test(options.apiKey)) {
      throw new MailError('Resend: RESEND_API_KEY must be one word of printable ASCII characters, as Resend shows it');
    }
    this.apiKey = options.apiKey;
    this.from = formatMailbox(checkSender(options.from));
    this.endpoint = new URL('emails', (options.baseUrl ?? 'https://api.resend.com').replace(/\/?$/, '/')).href;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async send(mail: Mail): Promise<{ id: string }> {
    const checked = checkMail(mail);
    const body = {
      from: this.from,
      to: [formatMailbox(checked.to)],
      subject: checked.subject,
      text: checked.text,
      ...(checked.html !== undefined && { html: checked.html }),
      ...(checked.replyTo && { reply_to: formatMailbox(checked.replyTo) }),
    };
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        // Resend refuses requests without a User-Agent.
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          'content-type': 'application/json',
          'user-agent': 'eesee-metrics',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const reason =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000} s`
          : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
      throw new MailError(`Resend: could not reach ${this.endpoint} (${reason})`, { cause: err });
    }
    const text = await response.text().catch(() => '');
    const answer = parseJson(text);
    if (!response.ok) {
      const message = typeof answer?.message === 'string' ? answer.message : text.slice(0, 300) || response.statusText;
      const hint = response.status === 401 || response.status === 403 ? '; check RESEND_API_KEY' : '';
      throw new MailError(`Resend refused the message (${response.status}): ${message}${hint}`);
    }
    if (typeof answer?.id !== 'string') throw new MailError(`Resend answered ${response.status} without a message id`);
    return { id: answer.id };
  }

  async close(): Promise<void> {}
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
