// Checks a message before any transport sees it: one recipient, a valid sender, no line break in any header field.
import { MailError } from './mail-error.js';
import { CONTROL_CHARACTERS, formatMailbox, parseMailbox, type Mailbox } from './mailbox.js';
import type { Mail } from './mailer.js';

/** A message whose header fields are safe to put into headers or a JSON API call. */
export interface CheckedMail {
  to: Mailbox;
  subject: string;
  text: string;
  html?: string;
  replyTo?: Mailbox;
}

/** Refuses a bad recipient, reply-to or subject (line breaks, lists, malformed addresses) with a MailError. */
export function checkMail(mail: Mail): CheckedMail {
  const to = parseMailbox(mail.to);
  if (!to) throw new MailError(`Invalid recipient ${JSON.stringify(mail.to)}: give one e-mail address, without line breaks`);
  const replyTo = mail.replyTo === undefined ? undefined : parseMailbox(mail.replyTo);
  if (replyTo === null) {
    throw new MailError(`Invalid reply-to ${JSON.stringify(mail.replyTo)}: give one e-mail address, without line breaks`);
  }
  if (typeof mail.subject !== 'string' || typeof mail.text !== 'string') {
    throw new MailError('A mail needs a subject and a text body');
  }
  if (mail.html !== undefined && typeof mail.html !== 'string') throw new MailError('The html body of a mail must be a string');
  // A subject is one header line: a line break in it (e.g. from a site name) could start a forged header.
  if (CONTROL_CHARACTERS.test(mail.subject)) {
    throw new MailError(`Invalid subject ${JSON.stringify(mail.subject)}: a subject is one line, without line breaks or control characters`);
  }
  return {
    to,
    subject: mail.subject.trim(),
    text: mail.text,
    ...(mail.html !== undefined && { html: mail.html }),
    ...(replyTo && { replyTo }),
  };
}

/** The sender as a mailer stores it; refuses a name or address with a line break, or an invalid address. */
export function checkSender(from: Mailbox): Mailbox {
  const checked =
    typeof from?.name === 'string' && typeof from.address === 'string' ? parseMailbox(formatMailbox(from)) : null;
  if (!checked) {
    throw new MailError(`Invalid sender ${JSON.stringify(from)}: give one e-mail address, without line breaks (MAIL_FROM)`);
  }
  return checked;
}
