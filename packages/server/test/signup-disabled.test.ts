// DISABLE_SIGNUP=true closes sign-up (own file: chDB binds one data directory per process).
import { afterAll, beforeAll, it, expect } from 'vitest';
import { startTestEesee, type TestEesee } from './support/test-eesee.js';

let closed: TestEesee;
beforeAll(async () => {
  closed = await startTestEesee({ env: { DISABLE_SIGNUP: 'true' } });
});
afterAll(() => closed?.stop());

it('refuses sign-up with a 4xx JSON error when DISABLE_SIGNUP=true', async () => {
  const res = await closed.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload: { email: 'late@example.com', password: 'long enough pw', name: 'x' } });
  expect(res.statusCode).toBeGreaterThanOrEqual(400);
  expect(res.statusCode).toBeLessThan(500);
  expect(res.json().message).toMatch(/sign ?up/i);
});
