// The Resend mailer against a local HTTP server playing Resend's POST /emails.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { MailError } from '../../src/mail/mail-error.js';
import { openMailer } from '../../src/mail/mailer.js';
import { ResendMailer } from '../../src/mail/resend.js';

const API_KEY = 're_test_0123456789';
const FROM = { name: 'Eesee Metrics', address: 'no-reply@eesee.example' };

interface ApiCall {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let api: Server;
let baseUrl: string;
const calls: ApiCall[] = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      calls.push({ method: req.method, url: req.url, headers: req.headers, body });
      const answer = (status: number, json: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (body.subject === 'hang') return; // never answers
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        return answer(401, { statusCode: 401, name: 'validation_error', message: 'API key is invalid' });
      }
      if (String((body.to as string[])[0]).includes('@unverified.example')) {
        return answer(422, { statusCode: 422, name: 'validation_error', message: 'The unverified.example domain is not verified.' });
      }
      answer(200, { id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' });
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  api.closeAllConnections();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

async function mailErrorOf(promise: Promise<unknown>): Promise<MailError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailError);
  return err as MailError;
}

describe('Resend mailer', () => {
  it('is chosen when RESEND_API_KEY is set, even beside SMTP_URL', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'eesee-resend-'));
    const mailer = openMailer(loadConfig({ DATA_DIR: dataDir, RESEND_API_KEY: API_KEY, SMTP_URL: 'smtp://localhost:25' }));
    expect(mailer.kind).toBe('resend');
    await mailer.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('posts the message as JSON with the bearer key and returns Resend’s id', async () => {
    calls.length = 0;
    const mailer = new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl });
    const sent = await mailer.send({
      to: 'Groß, Jürgen <jurgen@example.com>',
      subject: 'Wöchentlicher Bericht 📈',
      text: 'Hallo Jürgen',
      html: '<p>Hallo Jürgen</p>',
      replyTo: 'owner@example.org',
    });
    expect(sent).toEqual({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.method).toBe('POST');
    expect(call!.url).toBe('/emails');
    expect(call!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.body).toEqual({
      from: 'Eesee Metrics <no-reply@eesee.example>',
      to: ['"Groß, Jürgen" <jurgen@example.com>'],
      subject: 'Wöchentlicher Bericht 📈',
      text: 'Hallo Jürgen',
      html: '<p>Hallo Jürgen</p>',
      reply_to: 'owner@example.org',
    });
  });

  it('leaves html and reply_to out when the mail has none', async () => {
    calls.length = 0;
    await new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl }).send({ to: 'a@example.com', subject: 's', text: 't' });
    expect(Object.keys(calls[0]!.body).sort()).toEqual(['from', 'subject', 'text', 'to']);
  });

  it('turns a 422 into a MailError carrying Resend’s message', async () => {
    const mailer = new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl });
    const err = await mailErrorOf(mailer.send({ to: 'x@unverified.example', subject: 's', text: 't' }));
    expect(err.message).toBe('Resend refused the message (422): The unverified.example domain is not verified.');
  });

  it('says to check RESEND_API_KEY when the key is refused, without repeating the key', async () => {
    const wrongKey = 're_wrong_key';
    const mailer = new ResendMailer({ apiKey: wrongKey, from: FROM, baseUrl });
    const err = await mailErrorOf(mailer.send({ to: 'a@example.com', subject: 's', text: 't' }));
    expect(err.message).toBe('Resend refused the message (401): API key is invalid; check RESEND_API_KEY');
    expect(err.message).not.toContain(wrongKey);
  });

  it('gives up after its timeout when the API does not answer', async () => {
    const mailer = new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl, timeoutMs: 300 });
    const started = Date.now();
    const err = await mailErrorOf(mailer.send({ to: 'a@example.com', subject: 'hang', text: 't' }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err.message).toBe(`Resend: could not reach ${baseUrl}/emails (no answer within 0.3 s)`);
  });

  it('sends a User-Agent, which Resend requires', async () => {
    calls.length = 0;
    await new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl }).send({ to: 'a@example.com', subject: 's', text: 't' });
    expect(calls[0]!.headers['user-agent']).toBe('eesee-metrics');
  });

  it('posts nothing for a header injection in the recipient or subject', async () => {
    calls.length = 0;
    const mailer = new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl });
    await mailErrorOf(mailer.send({ to: 'a@example.com\nBcc: evil@x', subject: 's', text: 't' }));
    await mailErrorOf(mailer.send({ to: 'a@example.com', subject: 's\r\nBcc: evil@x', text: 't' }));
    expect(calls).toHaveLength(0);
  });

  it('refuses an API key with a space or line break when opened', () => {
    expect(() => new ResendMailer({ apiKey: 're_x\r\nX-Evil: 1', from: FROM, baseUrl })).toThrow(MailError);
    expect(() => new ResendMailer({ apiKey: 're_x y', from: FROM, baseUrl })).toThrow(
      'Resend: RESEND_API_KEY must be one word of printable ASCII characters, as Resend shows it',
    );
  });

  it('says which address it could not reach', async () => {
    // A port just released, so nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const downUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const mailer = new ResendMailer({ apiKey: API_KEY, from: FROM, baseUrl: downUrl });
    const err = await mailErrorOf(mailer.send({ to: 'a@example.com', subject: 's', text: 't' }));
    expect(err.message).toMatch(new RegExp(`^Resend: could not reach ${downUrl}/emails \\(.*ECONNREFUSED`));
  });
});
