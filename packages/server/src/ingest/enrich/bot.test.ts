import { describe, expect, it } from 'vitest';
import { botCheck } from './bot.js';
import { HEADER_BOT_PATTERNS, UA_BOT_PATTERNS } from './bot-patterns.js';

const W10 = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)';
const BLINK = 'AppleWebKit/537.36 (KHTML, like Gecko)';
const BEACON_HEADERS = { 'accept-language': 'en-GB,en;q=0.9', 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'no-cors' };

const humans: [string, string][] = [
  ['Chrome on Windows', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36`],
  ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0'],
  ['Safari on macOS', `${MAC} AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15`],
  ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1'],
  ['Samsung Internet', `Mozilla/5.0 (Linux; Android 14; SM-S918B) ${BLINK} SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36`],
  ['Android WebView', `Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) ${BLINK} Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36`],
  ['Facebook in-app', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/444.0.0.30.110;]'],
  ['Instagram in-app', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 312.0.0.0'],
  ['Slack desktop (Electron)', `${MAC} ${BLINK} slack/4.36.140 Chrome/120.0.6099.56 Electron/28.0.0 Safari/537.36`],
  ['VS Code (Electron)', `${W10} ${BLINK} Code/1.85.1 Chrome/114.0.5735.289 Electron/25.9.7 Safari/537.36`],
  ['Chromium on Linux (e2e test with a normal UA)', `Mozilla/5.0 (X11; Linux x86_64) ${BLINK} Chrome/120.0.0.0 Safari/537.36`],
  ['macOS WKWebView', `${MAC} AppleWebKit/605.1.15 (KHTML, like Gecko)`],
  ['Opera', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0`],
];

describe('botCheck: people', () => {
  it.each(humans)('%s is not a bot', (_label, ua) => {
    expect(botCheck(ua, BEACON_HEADERS)).toEqual({ isBot: false, reason: '' });
  });

  it('does not treat a missing Accept-Language as a bot (first-party proxies drop it)', () => {
    expect(botCheck(humans[0]![1], {})).toEqual({ isBot: false, reason: '' });
  });

  it('ignores the Sec-CH-UA brand list (e2e tests override the UA string only)', () => {
    expect(botCheck(humans[10]![1], { 'sec-ch-ua': '"HeadlessChrome";v="120"' }).isBot).toBe(false);
  });
});

describe('botCheck: bots', () => {
  it.each([
    ['empty UA', '', 'empty-user-agent'],
    ['blank UA', ' \t ', 'empty-user-agent'],
    ['headless Chromium (our e2e default)', `Mozilla/5.0 (X11; Linux x86_64) ${BLINK} HeadlessChrome/120.0.6099.224 Safari/537.36`, 'ua:headless-chrome'],
    ['PhantomJS', 'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1', 'ua:phantomjs'],
    ['SlimerJS', 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0 SlimerJS/1.0', 'ua:slimerjs'],
    ['Selenium marker', `${W10} ${BLINK} Chrome/120 Safari/537.36 Selenium`, 'ua:selenium'],
    ['Puppeteer marker', `${MAC} ${BLINK} Chrome/120.0.0.0 Safari/537.36 Puppeteer`, 'ua:puppeteer'],
    ['Playwright marker', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36 Playwright/1.40`, 'ua:playwright'],
    ['Cypress', `${MAC} ${BLINK} Cypress/13.6.0 Chrome/114.0.5735.289 Electron/25.8.4 Safari/537.36`, 'ua:cypress'],
    ['Nightmare', `Mozilla/5.0 (X11; Linux x86_64) ${BLINK} Chrome/120.0.0.0 Safari/537.36 Nightmare`, 'ua:nightmare'],
    ['jsdom', `Mozilla/5.0 (linux) ${BLINK} jsdom/22.1.0`, 'ua:jsdom'],
    ['HtmlUnit', `Mozilla/5.0 (Windows NT 6.1; Win64; x64) ${BLINK} Chrome/41.0.2272.96 Safari/537.36 HtmlUnit`, 'ua:htmlunit'],
    ['Lighthouse', `Mozilla/5.0 (Linux; Android 11; moto g power (2022)) ${BLINK} Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse`, 'ua:performance-tool'],
    ['WebPageTest', `Mozilla/5.0 (X11; Linux x86_64) ${BLINK} Chrome/120.0.0.0 Safari/537.36 PTST/231214.170305`, 'ua:performance-tool'],
    ['GTmetrix', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36 GTmetrix`, 'ua:performance-tool'],
    ['curl', 'curl/8.4.0', 'ua:http-client'],
    ['python-requests', 'python-requests/2.31.0', 'ua:http-client'],
    ['node', 'node', 'ua:http-client'],
    ['Go', 'Go-http-client/1.1', 'ua:http-client'],
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'isbot:Google'],
    ['GPTBot', 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)', 'isbot:GPTBot/1.0;'],
    ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'isbot:bot'],
  ])('%s', (_label, ua, reason) => {
    expect(botCheck(ua, BEACON_HEADERS)).toEqual({ isBot: true, reason });
  });

  it.each([
    ['Chrome prerender', { 'sec-purpose': 'prefetch;prerender' }, 'header:prefetch'],
    ['Safari preview', { 'X-Purpose': 'preview' }, 'header:prefetch'],
    ['Firefox prefetch', { 'x-moz': 'prefetch' }, 'header:prefetch'],
    ['array header value', { purpose: ['prefetch'] }, 'header:prefetch'],
    ['crawler contact', { from: 'googlebot(at)googlebot.com' }, 'header:from-header'],
  ])('header signal: %s', (_label, headers, reason) => {
    expect(botCheck(humans[0]![1], { ...BEACON_HEADERS, ...headers })).toEqual({ isBot: true, reason });
  });

  it('ignores empty and absent header values', () => {
    expect(botCheck(humans[0]![1], { from: '', purpose: undefined, 'sec-purpose': [] }).isBot).toBe(false);
  });

  it('never throws on hostile input', () => {
    const hostile = ['<script>alert(1)</script>', '\u0000'.repeat(10), 'a'.repeat(200_000), '__proto__', '%E0%A4%A'];
    for (const ua of hostile) expect(() => botCheck(ua, { __proto__: 'x', constructor: ['y'] } as never)).not.toThrow();
    expect(botCheck(undefined, undefined)).toEqual({ isBot: true, reason: 'empty-user-agent' });
    expect(botCheck(null)).toEqual({ isBot: true, reason: 'empty-user-agent' });
  });

  it('keeps isbot reasons short', () => {
    const ua = `Mozilla/5.0 (compatible; ${'X'.repeat(300)}bot/1.0)`;
    const verdict = botCheck(ua, {});
    expect(verdict.isBot).toBe(true);
    expect(verdict.reason.length).toBeLessThanOrEqual('isbot:'.length + 40);
  });
});

describe('bot pattern tables', () => {
  it('have unique-enough, well-formed entries', () => {
    for (const { reason, pattern } of UA_BOT_PATTERNS) {
      expect(reason).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(pattern.global).toBe(false); // a /g regex keeps lastIndex between calls
      expect(pattern.test('')).toBe(false);
    }
    for (const { reason, header, pattern } of HEADER_BOT_PATTERNS) {
      expect(reason).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(header).toBe(header.toLowerCase());
      expect(pattern.global).toBe(false);
    }
  });

  it('match no ordinary browser UA', () => {
    for (const [, ua] of humans) for (const { pattern } of UA_BOT_PATTERNS) expect(pattern.test(ua)).toBe(false);
  });
});
