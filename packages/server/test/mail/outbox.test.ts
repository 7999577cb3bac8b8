// The outbox mailer: one readable .eml file per message in DATA_DIR/outbox, encoded headers, sending order.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { openMailer, type Mailer } from '../../src/mail/mailer.js';
import { parseMessage } from './eml.js';

let dataDir: string;
let mailer: Mailer;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'eesee-outbox-'));
  mailer = openMailer(loadConfig({ DATA_DIR: dataDir }));
});
afterEach(async () => {
  await mailer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const outbox = () => path.join(dataDir, 'outbox');
const longLine = 'Sehr lange Zeile ohne Umbruch, '.repeat(80);

describe('outbox mailer', () => {
  it('is what openMailer opens when neither RESEND_API_KEY nor SMTP_URL is set', () => {
    expect(mailer.kind).toBe('outbox');
  });

  it('writes each message as one .eml file, named in sending order', async () => {
    const before = Date.now();
    const first = await mailer.send({
      to: 'Jürgen Groß <jurgen@example.com>',
      subject: 'Wöchentlicher Bericht für „Café Zoë“ 📈',
      text: `Hallo Jürgen,\n\n1 234 Besucher (+12 %) — schöne Woche!\n${longLine}`,
      html: '<p>Hallo Jürgen, <b>1 234</b> Besucher — schöne Woche!</p>',
    });
    const second = await mailer.send({ to: 'ana@example.org', subject: '日本語の件名', text: 'こんにちは' });

    // Sorted by name they come in sending order; names hold nothing a shell or another OS would stumble on.
    const files = readdirSync(outbox()).sort();
    expect(files).toEqual([`${first.id}.eml`, `${second.id}.eml`]);
    for (const file of files) expect(file).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{8}\.eml$/);

    const raw = readFileSync(path.join(outbox(), files[0]!), 'utf8');
    // Everything is encoded for transport: 7-bit ASCII, CRLF line ends, no line over RFC 5322's 998 characters.
    expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Math.max(...raw.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);

    const message = parseMessage(raw);
    expect(message.header('Subject')).toBe('Wöchentlicher Bericht für „Café Zoë“ 📈');
    expect(message.header('To')).toBe('Jürgen Groß <jurgen@example.com>');
    expect(message.header('From')).toBe('Eesee Metrics <no-reply@localhost>');
    expect(message.header('MIME-Version')).toBe('1.0');
    expect(message.header('Message-ID')).toMatch(/^<[\w-]+@localhost>$/);
    const date = Date.parse(message.header('Date')!);
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(date).toBeLessThanOrEqual(Date.now());
    expect(message.text).toBe(`Hallo Jürgen,\n\n1 234 Besucher (+12 %) — schöne Woche!\n${longLine}`);
    expect(message.html).toBe('<p>Hallo Jürgen, <b>1 234</b> Besucher — schöne Woche!</p>');

    const other = parseMessage(readFileSync(path.join(outbox(), files[1]!), 'utf8'));
    expect(other.header('Subject')).toBe('日本語の件名');
    expect(other.header('To')).toBe('ana@example.org');
    expect(other.text).toBe('こんにちは');
    expect(other.html).toBeUndefined();
    expect(other.header('Message-ID')).not.toBe(message.header('Message-ID'));
  });

  it('keeps order for messages sent in the same millisecond and leaves no temporary file', async () => {
    // Started together, so most share a millisecond; the names still follow the order of the send() calls.
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => mailer.send({ to: 'a@example.com', subject: `n${i}`, text: '' })),
    );
    const ids = sent.map((s) => s.id);
    // Only finished .eml files, no temporary dot-file; sorted by name they follow the send() calls.
    const files = readdirSync(outbox()).sort();
    expect(files).toEqual(ids.map((id) => `${id}.eml`));
    const subjects = files.map((f) => parseMessage(readFileSync(path.join(outbox(), f), 'utf8')).header('Subject'));
    expect(subjects).toEqual(ids.map((_, i) => `n${i}`));
  });

  it('sets Reply-To and takes the sender from MAIL_FROM', async () => {
    const custom = openMailer(loadConfig({ DATA_DIR: dataDir, MAIL_FROM: '"Eesee, Berichte" <berichte@eesee.example>' }));
    const { id } = await custom.send({ to: 'a@example.com', subject: 'Hi', text: 'x', replyTo: 'Zoë <zoe@example.com>' });
    const message = parseMessage(readFileSync(path.join(outbox(), `${id}.eml`), 'utf8'));
    expect(message.header('From')).toBe('"Eesee, Berichte" <berichte@eesee.example>');
    expect(message.header('Reply-To')).toBe('Zoë <zoe@example.com>');
    expect(message.header('Message-ID')).toMatch(/@eesee\.example>$/);
    await custom.close();
  });
});
