// Organisations in a real browser: an owner creates an organisation and invites a colleague as viewer; the colleague
// opens the e-mailed link (read from the outbox) signed out, creates an account, accepts, and can look but not add
// sites; the owner creates an API key in the UI and a script uses it against the Stats API until it is revoked.
// Needs `npm run build` first.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEesee, type TestEesee } from '../packages/server/test/support/test-eesee.js';
import { parseMessage } from '../packages/server/test/mail/eml.js';
import { containsText, launchChromium } from './support/browser.js';

const OUTPUT_DIR = fileURLToPath(new URL('./output/', import.meta.url));

let eesee: TestEesee;
let base: string;
let browser: Browser;
let owner: Page;
let viewer: Page;
let orgId: string;
let siteId: number;
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // confirm() dialogs (remove, revoke) are answered yes.
  page.on('dialog', (d) => void d.accept());
  return page;
}

async function signUpInUi(page: Page, email: string): Promise<void> {
  // A fresh install opens on sign-up; later visitors land on sign-in and switch.
  const heading = page.getByRole('heading', { name: /^(Sign in|Create your account)$/ });
  await heading.waitFor();
  if ((await heading.textContent()) === 'Sign in') await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name', { exact: true }).fill(email.split('@')[0]!);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The invitation link of the last mail to `to` in the outbox. */
function invitationLink(to: string): string {
  const dir = path.join(eesee.dataDir, 'outbox');
  const mails = readdirSync(dir)
    .sort()
    .map((f) => parseMessage(readFileSync(path.join(dir, f), 'utf8')))
    .filter((m) => m.header('to')?.includes(to));
  const link = /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(mails.at(-1)?.text ?? '')?.[0];
  if (!link) throw new Error(`no invitation mailed to ${to}`);
  return link;
}

beforeAll(async () => {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  eesee = await startTestEesee();
  await eesee.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(eesee.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  owner = await newPage();
  viewer = await newPage();
});

afterAll(async () => {
  await browser?.close();
  await eesee?.stop();
});

describe('organisations in the dashboard', () => {
  it('creates an organisation with a site and invites a viewer by e-mail', async () => {
    await owner.goto(`${base}/`);
    await signUpInUi(owner, 'olivia@agency.test');
    await owner.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
    await owner.getByRole('button', { name: '+ New organisation' }).click();
    await owner.getByLabel('Organisation name').fill('Agency');
    await owner.getByRole('button', { name: 'Create' }).click();
    const agency = owner.getByRole('region', { name: 'Agency' });
    await agency.waitFor();

    await agency.getByRole('link', { name: '+ Add site' }).click();
    await owner.getByLabel('Domain').fill('client.test');
    await owner.getByLabel('Name', { exact: true }).fill('Client');
    await owner.getByRole('button', { name: 'Add site' }).click();
    await owner.waitForURL(/\/sites\/\d+\/setup$/);
    siteId = Number(/\/sites\/(\d+)\//.exec(owner.url())![1]);

    await owner.goto(`${base}/`);
    await owner.getByRole('region', { name: 'Agency' }).getByRole('link', { name: 'Members & keys' }).click();
    await owner.waitForURL(/\/orgs\/[\w-]+$/);
    orgId = owner.url().split('/orgs/')[1]!;
    await owner.getByLabel('E-mail address to invite').fill('victor@agency.test');
    await owner.getByLabel('Role of the invitee').selectOption('viewer');
    await owner.getByRole('button', { name: 'Send invitation' }).click();
    await containsText(owner.getByRole('status').filter({ hasText: 'Invitation sent' }), 'victor@agency.test');
    await containsText(owner.locator('table').last(), 'victor@agency.test');
  });

  it('lets the invitee open the link signed out, sign up, accept, and look without changing anything', async () => {
    const link = invitationLink('victor@agency.test');
    expect(link.startsWith(base)).toBe(true);
    await viewer.goto(link);
    await viewer.waitForURL(/\/login\?next=/);
    await signUpInUi(viewer, 'victor@agency.test');
    await viewer.getByRole('heading', { name: 'Join Agency' }).waitFor();
    await containsText(viewer.locator('.card'), 'as viewer');
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await viewer.waitForURL(`${base}/orgs/${orgId}`);
    await containsText(viewer.locator('.role-badge').first(), 'your role: viewer');
    expect(await viewer.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
    expect(await viewer.getByRole('heading', { name: 'API keys' }).count()).toBe(0);

    await viewer.goto(`${base}/`);
    const agency = viewer.getByRole('region', { name: 'Agency' });
    await agency.getByRole('link', { name: 'Client' }).waitFor();
    expect(await agency.getByRole('link', { name: '+ Add site' }).count()).toBe(0);
    await viewer.screenshot({ path: `${OUTPUT_DIR}orgs-viewer-sites.png`, fullPage: true });

    // The owner sees the new member.
    await owner.reload();
    await containsText(owner.locator('table').first(), 'victor@agency.test');
  });

  it('creates an API key shown once, which a script uses until it is revoked', async () => {
    await owner.getByLabel('Key name').fill('reporting script');
    await owner.getByRole('button', { name: 'Create key' }).click();
    const key = (await owner.getByTestId('new-api-key').textContent({ timeout: 10_000 }))!.trim();
    expect(key).toMatch(/^eesee_[A-Za-z0-9_-]{32}$/);
    await owner.screenshot({ path: `${OUTPUT_DIR}orgs-owner-settings.png`, fullPage: true });

    const query = () =>
      fetch(`${base}/api/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ site_id: siteId, date_range: '30d', metrics: ['visitors'] }),
      });
    const ok = await query();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ results: [{ metrics: [0] }] });

    // After a reload the secret is gone from the page; only its start is listed.
    await owner.reload();
    await containsText(owner.locator('table').last(), 'reporting script');
    expect(await owner.content()).not.toContain(key);
    await owner.getByRole('button', { name: 'Revoke' }).click();
    await containsText(owner.locator('table').last(), /revoked/);
    expect((await query()).status).toBe(401);
  });

  it('shares the dashboard with a password-protected link that opens signed out, read-only, also embedded', async () => {
    await owner.goto(`${base}/sites/${siteId}/settings`);
    await owner.getByLabel('Share link name').fill('client board');
    await owner.getByLabel('Share link password').fill('open sesame');
    await owner.getByRole('button', { name: 'Create link' }).click();
    const url = (await owner.getByTestId('new-share-url').textContent({ timeout: 10_000 }))!.trim();
    expect(url).toMatch(new RegExp(`^${base}/share/[A-Za-z0-9_-]{32}$`));

    const stranger = await newPage();
    await stranger.goto(url);
    await stranger.getByRole('heading', { name: 'This dashboard is protected' }).waitFor();
    await stranger.getByLabel('Password').fill('wrong password');
    await stranger.getByRole('button', { name: 'Open dashboard' }).click();
    await containsText(stranger.getByRole('alert'), 'wrong password');
    await stranger.getByLabel('Password').fill('open sesame');
    await stranger.getByRole('button', { name: 'Open dashboard' }).click();
    await containsText(stranger.getByTestId('kpi-visitors'), '0');
    await containsText(stranger.locator('h1'), 'Client');
    expect(await stranger.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await stranger.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await stranger.screenshot({ path: `${OUTPUT_DIR}share-link-dashboard.png`, fullPage: true });

    // Embedded in another site's page (the grant from the password lives in this tab's session storage).
    await stranger.goto(`${url}?embed=1`);
    await containsText(stranger.getByTestId('kpi-visitors'), '0');
    expect(await stranger.locator('header.topbar').count()).toBe(0);

    // Revoked: the link stops working.
    await owner.reload();
    await owner.getByRole('button', { name: 'Revoke' }).click();
    await containsText(owner.locator('table').last(), /revoked/);
    const late = await newPage();
    await late.goto(url);
    await containsText(late.getByRole('alert'), 'unknown or was revoked');
  });

  it('resets a forgotten password from the e-mailed link and lists the account’s logins', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('E-mail').fill('victor@agency.test');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await containsText(page.getByRole('status'), 'on its way');
    const dir = path.join(eesee.dataDir, 'outbox');
    const mail = readdirSync(dir)
      .sort()
      .map((f) => parseMessage(readFileSync(path.join(dir, f), 'utf8')))
      .filter((m) => m.header('subject') === 'Reset your Eesee Metrics password' && m.header('to')?.includes('victor@agency.test'))
      .at(-1)!;
    await page.goto(/https?:\/\/\S+/.exec(mail.text!)![0]);
    await page.waitForURL(/\/reset-password\?token=/);
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('New password again').fill('a brand new password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await containsText(page.getByRole('status'), 'Your password is changed');
    // The viewer's earlier login was ended by the reset.
    await viewer.goto(`${base}/`);
    await viewer.waitForURL(/\/login/);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail').fill('victor@agency.test');
    await page.getByLabel('Password').fill('a brand new password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sites', exact: true }).waitFor();
    await page.getByRole('link', { name: 'victor@agency.test' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await containsText(page.locator('table'), 'this browser');
    await page.screenshot({ path: `${OUTPUT_DIR}account.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
