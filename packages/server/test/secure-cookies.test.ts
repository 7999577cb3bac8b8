// Behind HTTPS (BASE_URL https://…) the session cookie is Secure (with the __Secure- prefix), HttpOnly and SameSite;
// on a plain local install it cannot be Secure, or the browser would drop it.
import { describe, expect, it } from 'vitest';
import { startTestEesee } from './support/test-eesee.js';

/** chDB allows one data directory per process: each instance is stopped before the next starts. */
async function sessionCookie(baseUrl?: string): Promise<string> {
  const eesee = await startTestEesee({ env: baseUrl ? { BASE_URL: baseUrl } : {} });
  try {
    return await signUpCookie(eesee, baseUrl);
  } finally {
    await eesee.stop();
  }
}

async function signUpCookie(eesee: Awaited<ReturnType<typeof startTestEesee>>, baseUrl?: string): Promise<string> {
  const origin = baseUrl ?? 'http://localhost:80';
  const res = await eesee.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin }, payload: { email: 'c@cookie.test', password: 'cookie password', name: 'C' } });
  expect(res.statusCode).toBe(200);
  return [res.headers['set-cookie'] ?? []].flat().find((c) => c.includes('session_token='))!;
}

describe('session cookie flags', () => {
  it('is Secure, HttpOnly and SameSite=Lax behind HTTPS', async () => {
    const cookie = await sessionCookie('https://stats.example.com');
    expect(cookie).toMatch(/^__Secure-/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  });

  it('is HttpOnly but not Secure on a plain-HTTP install', async () => {
    const cookie = await sessionCookie();
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
  });
});
