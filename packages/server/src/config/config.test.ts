// loadConfig: defaults, one clear ConfigError per wrong variable, empty strings as unset.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('needs no variable at all', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.DATA_DIR).toBe('./data');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.CLICKHOUSE_URL).toBeUndefined();
    expect(c.CLICKHOUSE_USER).toBe('default');
    expect(c.CLICKHOUSE_PASSWORD).toBe('');
    expect(c.CLICKHOUSE_DATABASE).toBe('default');
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.AUTH_SECRET).toBeUndefined();
    expect(c.DISABLE_SIGNUP).toBe(false);
    expect(c.TRUST_PROXY).toBe(false);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.TRACK_RATE_LIMIT).toBe(50);
  });

  it('resolves the default data directory to an absolute path under the working directory', () => {
    const c = loadConfig({});
    expect(path.isAbsolute(c.dataDir)).toBe(true);
    expect(c.dataDir).toBe(path.join(process.cwd(), 'data'));
  });

  it('resolves a relative DATA_DIR and keeps an absolute one', () => {
    expect(loadConfig({ DATA_DIR: 'var/eesee' }).dataDir).toBe(path.join(process.cwd(), 'var', 'eesee'));
    expect(loadConfig({ DATA_DIR: '/srv/eesee/' }).dataDir).toBe('/srv/eesee');
  });

  it('reads valid values', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/eesee',
      CLICKHOUSE_URL: 'https://ch.example.com:8443',
      REDIS_URL: 'rediss://cache:6380',
      AUTH_SECRET: 's'.repeat(32),
      DISABLE_SIGNUP: 'true',
      TRUST_PROXY: 'yes',
      TRACK_RATE_LIMIT: '2.5',
    });
    expect(c.PORT).toBe(8080);
    expect(c.DATABASE_URL).toBe('postgresql://u:p@db:5432/eesee');
    expect(c.CLICKHOUSE_URL).toBe('https://ch.example.com:8443');
    expect(c.AUTH_SECRET).toHaveLength(32);
    expect(c.DISABLE_SIGNUP).toBe(true);
    expect(c.TRUST_PROXY).toBe(true);
    expect(c.TRACK_RATE_LIMIT).toBe(2.5);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).DATABASE_URL).toBe('postgres://localhost/x');
    expect(loadConfig({ CLICKHOUSE_URL: 'http://localhost:8123' }).CLICKHOUSE_URL).toBe('http://localhost:8123');
  });

  it('reads booleans from true/false, 1/0 and yes/no', () => {
    for (const [v, b] of [['true', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false]] as const) {
      expect(loadConfig({ DISABLE_SIGNUP: v }).DISABLE_SIGNUP).toBe(b);
      expect(loadConfig({ TRUST_PROXY: v }).TRUST_PROXY).toBe(b);
    }
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', SOMETHING_ELSE: 'x' })).not.toThrow();
  });
});

describe('loadConfig errors', () => {
  const wrong: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['CLICKHOUSE_URL', { CLICKHOUSE_URL: 'ftp://x' }],
    ['CLICKHOUSE_URL', { CLICKHOUSE_URL: 'localhost:8123' }],
    ['REDIS_URL', { REDIS_URL: 'http://cache' }],
    ['BASE_URL', { BASE_URL: 'example.com' }],
    ['AUTH_SECRET', { AUTH_SECRET: 'x'.repeat(31) }],
    ['AUTH_SECRET', { AUTH_SECRET: 'short' }],
    ['DISABLE_SIGNUP', { DISABLE_SIGNUP: 'maybe' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'sometimes' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['CLICKHOUSE_DATABASE', { CLICKHOUSE_DATABASE: 'db; DROP TABLE x' }],
    ['TRACK_RATE_LIMIT', { TRACK_RATE_LIMIT: '0' }],
  ];

  for (const [name, env] of wrong) {
    it(`${name}=${JSON.stringify(Object.values(env)[0])} throws a one-line ConfigError naming ${name}`, () => {
      const e = errorOf(env);
      expect(e.message).toContain(name);
      expect(e.message).not.toContain('\n');
    });
  }

  it('names the wrong variable, not a valid one set beside it', () => {
    const e = errorOf({ PORT: '8080', DATABASE_URL: 'postgres://db/x', CLICKHOUSE_URL: 'ftp://x' });
    expect(e.message).toContain('CLICKHOUSE_URL');
    expect(e.message).not.toContain('DATABASE_URL');
    expect(e.message).not.toMatch(/\bPORT\b/);
  });

  it('a blank (whitespace-only) PORT is refused or taken as unset, never as port 0', () => {
    // Number(' ') is 0; a stray space in an env file must not make the server listen on a random port.
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: ' ' }).PORT;
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain('PORT');
      return;
    }
    expect(port).toBe(3000);
  });

  it('an AUTH_SECRET of exactly 32 characters is enough', () => {
    expect(loadConfig({ AUTH_SECRET: 'x'.repeat(32) }).AUTH_SECRET).toBe('x'.repeat(32));
  });
});

describe('loadConfig empty strings', () => {
  it('counts an empty string as unset, so defaults apply and nothing fails', () => {
    const c = loadConfig({
      PORT: '',
      DATA_DIR: '',
      DATABASE_URL: '',
      CLICKHOUSE_URL: '',
      REDIS_URL: '',
      AUTH_SECRET: '',
      DISABLE_SIGNUP: '',
      TRUST_PROXY: '',
      LOG_LEVEL: '',
      BASE_URL: '',
      TRACK_RATE_LIMIT: '',
    });
    expect(c.PORT).toBe(3000);
    expect(c.dataDir).toBe(path.join(process.cwd(), 'data'));
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.CLICKHOUSE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.AUTH_SECRET).toBeUndefined();
    expect(c.DISABLE_SIGNUP).toBe(false);
    expect(c.TRUST_PROXY).toBe(false);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.BASE_URL).toBeUndefined();
    expect(c.TRACK_RATE_LIMIT).toBe(50);
  });

  it('treats undefined values like absent ones', () => {
    expect(loadConfig({ PORT: undefined, DATABASE_URL: undefined }).PORT).toBe(3000);
  });
});
