// Bot signals beyond isbot: automation and headless markers in the UA, and request headers only non-humans send.

export interface UaBotPattern {
  /** Short stable label stored with the bot event ("ua:<reason>"). */
  reason: string;
  pattern: RegExp;
}

export interface HeaderBotPattern {
  reason: string;
  /** Lower-case header name. */
  header: string;
  pattern: RegExp;
}

/**
 * Checked before isbot so that the reason names the tool. Deliberately absent: "Electron" (Slack, VS Code,
 * Discord and other desktop apps are people) and in-app browsers (Facebook, Instagram, WebViews).
 */
export const UA_BOT_PATTERNS: readonly UaBotPattern[] = [
  { reason: 'headless-chrome', pattern: /headlesschrome|\bheadless\b/i },
  { reason: 'phantomjs', pattern: /phantomjs/i },
  { reason: 'slimerjs', pattern: /slimerjs/i },
  { reason: 'selenium', pattern: /selenium|webdriver|chromedriver|geckodriver/i },
  { reason: 'puppeteer', pattern: /puppeteer/i },
  { reason: 'playwright', pattern: /playwright/i },
  { reason: 'cypress', pattern: /\bcypress\//i },
  { reason: 'nightmare', pattern: /nightmare/i },
  { reason: 'jsdom', pattern: /\bjsdom\//i },
  { reason: 'htmlunit', pattern: /htmlunit/i },
  { reason: 'zombie', pattern: /zombie\.js/i },
  { reason: 'performance-tool', pattern: /lighthouse|gtmetrix|pagespeed|\bptst\/|webpagetest|pingdom|speedcurve|debugbear|calibreapp/i },
  { reason: 'prerender-service', pattern: /\bprerender\b|rendertron/i },
  {
    reason: 'http-client',
    pattern: /^(?:curl|wget|python|java\/|go-http-client|okhttp|axios|node-fetch|undici|node\b|got\b|aiohttp|httpx|libwww|lwp-|guzzlehttp|ruby|php\/|postmanruntime|insomnia|httpie|deno\/|bun\/|rest-client|apache-httpclient)/i,
  },
];

/**
 * Not used on purpose: a missing Accept-Language. Real browsers send it on sendBeacon/fetch, but first-party
 * proxies (DESIGN §8 data-api) and server-side forwarders often drop it, so alone it would count people as bots.
 * Not used either: Sec-CH-UA brands ("HeadlessChrome"); our own e2e tests override only the UA string.
 */
export const HEADER_BOT_PATTERNS: readonly HeaderBotPattern[] = [
  // Speculative loads: the person has not seen the page (yet); the tracker should wait for activation.
  { reason: 'prefetch', header: 'sec-purpose', pattern: /prefetch|prerender/i },
  { reason: 'prefetch', header: 'purpose', pattern: /prefetch|preview|prerender/i },
  { reason: 'prefetch', header: 'x-purpose', pattern: /prefetch|preview|prerender/i },
  { reason: 'prefetch', header: 'x-moz', pattern: /prefetch/i },
  // Crawlers give a contact address in From; browsers never send it.
  { reason: 'from-header', header: 'from', pattern: /\S/ },
];
