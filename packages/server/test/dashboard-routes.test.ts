// The built dashboard is served at / with the SPA fallback, without swallowing API 404s or missing files.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DIR, openDashboard } from '../src/http/dashboard-routes.js';
import { startTestEesee, type TestEesee } from './support/test-eesee.js';

let eesee: TestEesee;
beforeAll(async () => {
  eesee = await startTestEesee();
});
afterAll(async () => {
  await eesee.stop();
});

describe('dashboard routes', () => {
  it('serves the app at / and at client-side routes, refusing to be framed', async () => {
    for (const url of ['/', '/login', '/sites/12?period=7d&f=is,page,/x', '/sites/new']) {
      const res = await eesee.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets with a long cache and the right type', async () => {
    const assets = readdirSync(path.join(DASHBOARD_DIR, 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const res = await eesee.app.inject({ url: `/assets/${js}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps JSON 404s for the API, missing files and other methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['GET', '/api'],
      ['GET', '/assets/missing.js'],
      ['GET', '/favicon.ico'],
      ['POST', '/sites/1'],
    ] as const) {
      const res = await eesee.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toEqual({ error: expect.stringContaining('no route for') });
    }
  });

  it('refuses to start without a built dashboard, saying what to run', () => {
    expect(() => openDashboard(path.join(DASHBOARD_DIR, 'no-such-folder'))).toThrow(/dashboard not built.*npm run build/);
  });

  it('does not serve files outside the static folder', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const res = await eesee.app.inject({ url });
      expect(res.body, url).not.toContain('"name": "@eesee/server"');
    }
  });
});
