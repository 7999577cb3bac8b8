// The SMTP mailer against a real SMTP server (smtp-server) that requires AUTH PLAIN/LOGIN.
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { MailError } from '../../src/mail/mail-error.js';
import { openMailer, type Mailer } from '../../src/mail/mailer.js';
import { SmtpMailer } from '../../src/mail/smtp.js';
import { parseMessage } from './eml.js';

const USER = 'eesee@example.com';
const PASSWORD = 'p@ss wörd:1';

interface Received {
  user: unknown;
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

let server: SMTPServer;
let port: number;
const received: Received[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'eesee-smtp-'));

beforeAll(async () => {
  server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const address = (a: SMTPServerAddress | false) => (a ? a.address : undefined);
        received.push({
          user: session.user,
          mailFrom: address(session.envelope.mailFrom),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

const smtpUrl = (password: string, atPort = port) =>
  `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(password)}@127.0.0.1:${atPort}`;

async function sendOnce(mailer: Mailer, mail: Parameters<Mailer['send']>[0]) {
  try {
    return await mailer.send(mail);
  } finally {
    await mailer.close();
  }
}

async function mailErrorOf(promise: Promise<unknown>): Promise<MailError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailError);
  return err as MailError;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

describe('SMTP mailer', () => {
  it('logs in with the credentials of SMTP_URL and delivers the message', async () => {
    received.length = 0;
    const mailer = openMailer(
      loadConfig({ DATA_DIR: dataDir, SMTP_URL: smtpUrl(PASSWORD), MAIL_FROM: 'Eesee Berichte <reports@eesee.example>' }),
    );
    expect(mailer.kind).toBe('smtp');
    const { id } = await sendOnce(mailer, {
      to: 'Jürgen Groß <jurgen@example.com>',
      subject: 'Einladung zu „Café Zoë“',
      text: 'Hallo Jürgen,\nbitte hier klicken.',
      html: '<p>Hallo Jürgen</p>',
      replyTo: 'owner@example.org',
    });

    expect(received).toHaveLength(1);
    const [arrived] = received;
    expect(arrived!.user).toBe(USER);
    expect(arrived!.mailFrom).toBe('reports@eesee.example');
    expect(arrived!.rcptTo).toEqual(['jurgen@example.com']);
    const message = parseMessage(arrived!.raw);
    expect(message.header('Message-ID')).toBe(id);
    expect(message.header('Subject')).toBe('Einladung zu „Café Zoë“');
    expect(message.header('From')).toBe('Eesee Berichte <reports@eesee.example>');
    expect(message.header('To')).toBe('Jürgen Groß <jurgen@example.com>');
    expect(message.header('Reply-To')).toBe('owner@example.org');
    expect(message.text).toBe('Hallo Jürgen,\nbitte hier klicken.');
    expect(message.html).toBe('<p>Hallo Jürgen</p>');
  });

  it('reuses its connections for several messages', async () => {
    received.length = 0;
    const mailer = new SmtpMailer({ url: smtpUrl(PASSWORD), from: { name: '', address: 'a@eesee.example' } });
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => mailer.send({ to: `${n}@example.com`, subject: n, text: n })));
    await mailer.close();
    expect(received.map((r) => r.rcptTo[0]).sort()).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
  });

  it('turns a wrong password into a MailError naming the server and user, not the password', async () => {
    const wrong = 'not-the-password';
    const err = await mailErrorOf(
      sendOnce(new SmtpMailer({ url: smtpUrl(wrong), from: { name: '', address: 'a@eesee.example' } }), {
        to: 'b@example.com',
        subject: 's',
        text: 't',
      }),
    );
    expect(err.message).toContain(`SMTP: 127.0.0.1:${port} refused the login of user "${USER}"`);
    expect(err.message).toContain('check the user and password in SMTP_URL');
    expect(err.message).not.toContain(wrong);
  });

  it('fails within seconds with a clear MailError when no server listens', async () => {
    const downPort = await closedPort();
    const started = Date.now();
    const err = await mailErrorOf(
      sendOnce(new SmtpMailer({ url: smtpUrl(PASSWORD, downPort), from: { name: '', address: 'a@eesee.example' } }), {
        to: 'b@example.com',
        subject: 's',
        text: 't',
      }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.message).toMatch(new RegExp(`^SMTP: could not reach 127\\.0\\.0\\.1:${downPort} \\(ECONNREFUSED`));
    expect(err.message).not.toContain(PASSWORD);
  });

  it('gives up on a server that accepts the connection but never greets', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const mailer = new SmtpMailer({
        url: smtpUrl(PASSWORD, silentPort),
        from: { name: '', address: 'a@eesee.example' },
        connectTimeoutMs: 500,
      });
      const err = await mailErrorOf(sendOnce(mailer, { to: 'b@example.com', subject: 's', text: 't' }));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err.message).toMatch(new RegExp(`^SMTP: could not reach 127\\.0\\.0\\.1:${silentPort} \\(ETIMEDOUT`));
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it.each([
    { to: 'a@b.c\r\nBcc: evil@x', subject: 's', text: 't' },
    { to: 'a@b.c', subject: 'Report\r\nBcc: evil@x', text: 't' },
  ])('refuses a header injection before connecting: %j', async (mail) => {
    received.length = 0;
    const mailer = new SmtpMailer({ url: smtpUrl(PASSWORD), from: { name: '', address: 'a@eesee.example' } });
    await mailErrorOf(sendOnce(mailer, mail));
    expect(received).toHaveLength(0);
  });
});
