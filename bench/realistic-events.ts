// Makes realistic, varied tracker payloads for benchmarks: many visitors, paths, referrers, user agents and countries.

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
];
const REFERRERS = ['', '', '', 'https://www.google.com/', 'https://www.bing.com/', 'https://t.co/abc', 'https://news.ycombinator.com/', 'https://www.reddit.com/r/webdev/', 'https://duckduckgo.com/', 'https://chatgpt.com/', 'https://blog.example.org/post'];
const PATHS = ['/', '/pricing', '/docs', '/docs/getting-started', '/docs/api', '/blog', '/blog/why-cookieless', '/about', '/contact', '/signup', '/login', '/features/replay', '/café', '/produkte/übersicht'];
const UTM = ['', '', '', '', '?utm_source=newsletter&utm_medium=email&utm_campaign=launch', '?utm_source=twitter&utm_medium=social', '?gclid=abc123'];
const WIDTHS = [390, 414, 768, 1024, 1366, 1440, 1920, 2560];
const IP_PREFIXES = ['81.2.69.', '8.8.8.', '49.207.0.', '1.1.1.', '185.60.216.', '91.198.174.', '203.0.113.', '200.160.2.', '41.204.190.', '133.242.0.'];

/** A deterministic pseudo-random generator, so runs are comparable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchRequest {
  ip: string;
  userAgent: string;
  body: string;
}

export function makeRequest(siteId: number, host: string, rand: () => number): BenchRequest {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const visitor = Math.floor(rand() * 20_000);
  const ip = `${IP_PREFIXES[visitor % IP_PREFIXES.length]}${visitor % 250}`;
  const userAgent = USER_AGENTS[visitor % USER_AGENTS.length]!;
  const roll = rand();
  const url = `https://${host}${pick(PATHS)}${pick(UTM)}`;
  const common = { site_id: siteId, url, screen_width: pick(WIDTHS), screen_height: 900, viewport_width: pick(WIDTHS), language: pick(['en-US', 'de-DE', 'fr-FR', 'hi-IN', 'pt-BR']) };
  let payload: Record<string, unknown>;
  if (roll < 0.7) payload = { ...common, type: 'pageview', referrer: pick(REFERRERS), title: 'Page title' };
  else if (roll < 0.85) payload = { ...common, type: 'engagement', engaged_ms: Math.floor(rand() * 60_000) + 1, scroll_depth: Math.floor(rand() * 100) };
  else if (roll < 0.97) payload = { ...common, type: 'event', name: pick(['Signup', 'Add to cart', 'Play video', 'Download brochure']), props: { plan: pick(['free', 'pro', 'team']), step: Math.floor(rand() * 5) } };
  else payload = { ...common, type: 'outbound', name: 'Outbound Link: Click', props: { url: 'https://github.com/eesee' } };
  return { ip, userAgent, body: JSON.stringify(payload) };
}
