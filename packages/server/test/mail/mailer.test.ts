// openMailer's choice of transport, the sender address and MAIL_FROM's validation.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { mailFromOf, openMailer } from '../../src/mail/mailer.js';

describe('openMailer', () => {
  it('prefers Resend, then SMTP, then the outbox', async () => {
    const kindFor = async (env: Record<string, string>) => {
      const mailer = openMailer(loadConfig({ DATA_DIR: '/tmp/eesee-mailer-choice', ...env }));
      await mailer.close();
      return mailer.kind;
    };
    expect(await kindFor({ RESEND_API_KEY: 're_x', SMTP_URL: 'smtp://localhost:2525' })).toBe('resend');
    expect(await kindFor({ SMTP_URL: 'smtps://u:p@localhost' })).toBe('smtp');
    expect(await kindFor({})).toBe('outbox');
  });
});

describe('mailFromOf', () => {
  it('takes MAIL_FROM when set', () => {
    expect(mailFromOf(loadConfig({ MAIL_FROM: 'Eesee <reports@example.com>', BASE_URL: 'https://x.example' }))).toEqual({
      name: 'Eesee',
      address: 'reports@example.com',
    });
  });

  it('derives no-reply@ from the host of BASE_URL, else localhost', () => {
    expect(mailFromOf(loadConfig({ BASE_URL: 'https://stats.example.com:8443/' }))).toEqual({
      name: 'Eesee Metrics',
      address: 'no-reply@stats.example.com',
    });
    expect(mailFromOf(loadConfig({})).address).toBe('no-reply@localhost');
    expect(mailFromOf(loadConfig({ BASE_URL: 'http://127.0.0.1:3000' })).address).toBe('no-reply@localhost');
    expect(mailFromOf(loadConfig({ BASE_URL: 'http://[::1]:3000' })).address).toBe('no-reply@localhost');
    expect(mailFromOf(loadConfig({ BASE_URL: 'http://my_host:3000' })).address).toBe('no-reply@localhost');
    expect(mailFromOf(loadConfig({ BASE_URL: 'https://statistik.bücher.de/' })).address).toBe(
      'no-reply@statistik.xn--bcher-kva.de',
    );
  });
});

describe('MAIL_FROM validation', () => {
  it.each(['not an address', 'a@b.c, d@e.f', 'a@b.c\nBcc: evil@x'])('stops start-up on %j', (value) => {
    expect(() => loadConfig({ MAIL_FROM: value })).toThrow(ConfigError);
    expect(() => loadConfig({ MAIL_FROM: value })).toThrow(/^Invalid configuration: MAIL_FROM must be one e-mail address/);
  });
});
