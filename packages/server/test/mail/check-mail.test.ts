// Header injection: a line break in a recipient, reply-to, subject or sender is refused with a MailError, nothing is written.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkMail, checkSender } from '../../src/mail/check-mail.js';
import { MailError } from '../../src/mail/mail-error.js';
import { OutboxMailer } from '../../src/mail/outbox.js';
import { ResendMailer } from '../../src/mail/resend.js';
import { SmtpMailer } from '../../src/mail/smtp.js';

describe('checkMail', () => {
  it('refuses a recipient carrying another header', () => {
    expect(() => checkMail({ to: 'a@b.c\r\nBcc: evil@x', subject: 's', text: 't' })).toThrow(MailError);
    expect(() => checkMail({ to: 'a@b.c\r\nBcc: evil@x', subject: 's', text: 't' })).toThrow(
      'Invalid recipient "a@b.c\\r\\nBcc: evil@x": give one e-mail address, without line breaks',
    );
  });

  it('refuses a list of recipients and a bad reply-to', () => {
    expect(() => checkMail({ to: 'a@b.c, evil@x.y', subject: 's', text: 't' })).toThrow(MailError);
    expect(() => checkMail({ to: 'a@b.c', replyTo: 'x@y.z\nBcc: evil@x', subject: 's', text: 't' })).toThrow(
      /^Invalid reply-to "x@y.z\\nBcc: evil@x"/,
    );
  });

  it.each(['Report\r\nBcc: evil@x', 'Report\nBcc: evil@x', 'Report\rBcc: evil@x', 'Report\u0000', 'a\tb'])(
    'refuses the subject %j',
    (subject) => {
      expect(() => checkMail({ to: 'a@b.c', subject, text: 't' })).toThrow(MailError);
      expect(() => checkMail({ to: 'a@b.c', subject, text: 't' })).toThrow(
        `Invalid subject ${JSON.stringify(subject)}: a subject is one line, without line breaks or control characters`,
      );
    },
  );

  it('keeps line breaks in the bodies and normalises the addresses', () => {
    const checked = checkMail({ to: 'Ana <ana@Bücher.de>', subject: ' Hi ', text: 'one\r\ntwo\n', html: '<p>\n</p>' });
    expect(checked).toEqual({
      to: { name: 'Ana', address: 'ana@xn--bcher-kva.de' },
      subject: 'Hi',
      text: 'one\r\ntwo\n',
      html: '<p>\n</p>',
    });
  });
});

describe('checkSender', () => {
  it('accepts a valid sender and normalises its domain', () => {
    expect(checkSender({ name: 'Eesee, Berichte', address: 'r@Eesee.Example' })).toEqual({
      name: 'Eesee, Berichte',
      address: 'r@eesee.example',
    });
  });

  it.each([
    { name: 'Eesee\r\nBcc: evil@x', address: 'r@eesee.example' },
    { name: 'Eesee', address: 'r@eesee.example\r\nBcc: evil@x' },
    { name: 'Eesee', address: 'not an address' },
  ])('refuses %j', (from) => {
    expect(() => checkSender(from)).toThrow(MailError);
    expect(() => checkSender(from)).toThrow(/^Invalid sender .*: give one e-mail address, without line breaks/);
  });

  it('is checked by every mailer when it is opened', () => {
    const from = { name: 'Eesee\nBcc: evil@x', address: 'r@eesee.example' };
    expect(() => new OutboxMailer({ dir: tmpdir(), from })).toThrow(/^Invalid sender/);
    expect(() => new ResendMailer({ apiKey: 're_x', from })).toThrow(/^Invalid sender/);
    expect(() => new SmtpMailer({ url: 'smtp://127.0.0.1:1', from })).toThrow(/^Invalid sender/);
  });
});

describe('header injection through the outbox mailer', () => {
  let dir: string;
  let mailer: OutboxMailer;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'eesee-injection-'));
    mailer = new OutboxMailer({ dir, from: { name: 'Eesee Metrics', address: 'no-reply@eesee.example' } });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { to: 'a@b.c\r\nBcc: evil@x', subject: 's', text: 't' },
    { to: 'a@b.c', subject: 'Weekly report\r\nBcc: evil@x\r\n\r\nforged body', text: 'real body' },
    { to: 'a@b.c', replyTo: 'r@b.c\nBcc: evil@x', subject: 's', text: 't' },
  ])('writes nothing for %j', async (mail) => {
    await expect(mailer.send(mail)).rejects.toThrow(MailError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
