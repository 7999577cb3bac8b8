// Test page: a jsdom window that loads the freshly built script.js through a real <script defer src>,
// records what it sends, and lets a test drive time, visibility, focus, scrolling and clicks.
import { JSDOM, requestInterceptor, VirtualConsole } from 'jsdom';
import { bundleScript } from '../build.mjs';
import type { Eesee } from '../src/core.js';
import { checkContract } from './contract.js';

export const SCRIPT_URL = 'https://stats.example.net/api/script.js';
export const DEFAULT_ENDPOINT = 'https://stats.example.net/api/track';

let scriptText: Promise<string> | undefined;

/** The minified script, built once per test file. */
export function builtScript(): Promise<string> {
  scriptText ??= bundleScript();
  return scriptText;
}

type TestWindow = Window & typeof globalThis & { eesee: Eesee };

export interface PageOptions {
  /** The page's URL. */
  url?: string;
  /** data-* attributes of the tracker's script tag, without the "data-" prefix. */
  attrs?: Record<string, string>;
  /** HTML placed before the tracker's script tag (e.g. the queue stub). */
  head?: string;
  body?: string;
  title?: string;
  referrer?: string;
  /** false: the browser has no navigator.sendBeacon, so the tracker must use fetch. */
  beacon?: boolean;
}

export interface Sent {
  endpoint: string;
  payload: Record<string, unknown>;
  /** For fetch: the init object the tracker passed. */
  init?: RequestInit;
}

export interface TestPage {
  window: TestWindow;
  /** Everything sent since the previous call, in order. */
  drain(): Promise<Sent[]>;
  /** Payloads only, since the previous call. */
  payloads(): Promise<Record<string, unknown>[]>;
  /** Moves the page's clock (Date.now) forward. */
  advance(ms: number): void;
  setVisibility(state: 'visible' | 'hidden'): void;
  setFocus(focused: boolean): void;
  /** Clicks the element matching selector; a button other than the main one fires auxclick, as in browsers. */
  click(selector: string, init?: MouseEventInit): void;
  /** Sets location.hash and waits for the hashchange event. */
  setHash(hash: string): Promise<void>;
  /** Resolves after the next window event of this type (popstate and hashchange arrive asynchronously). */
  next(type: 'popstate' | 'hashchange'): Promise<void>;
}

export async function openPage(options: PageOptions = {}): Promise<TestPage> {
  const code = await builtScript();
  const attrs = { 'site-id': '42', ...options.attrs };
  const attrText = Object.entries(attrs)
    .map(([name, value]) => ` data-${name}="${value}"`)
    .join('');
  const html = `<!doctype html><html><head><title>${options.title ?? 'Start'}</title>${options.head ?? ''}
    <script defer src="${SCRIPT_URL}"${attrText}></script></head><body>${options.body ?? ''}</body></html>`;

  const pending: Promise<Sent>[] = [];
  let clock = 1_000_000;
  let visibility: 'visible' | 'hidden' = 'visible';
  let focused = true;
  const virtualConsole = new VirtualConsole();
  // A script error in the page fails the test at its next drain().
  const pageErrors: Error[] = [];
  virtualConsole.on('jsdomError', (error: Error) => pageErrors.push(error));

  const dom = new JSDOM(html, {
    url: options.url ?? 'https://shop.example/start',
    referrer: options.referrer,
    runScripts: 'dangerously',
    virtualConsole,
    resources: {
      interceptors: [
        requestInterceptor((request: Request) =>
          request.url === SCRIPT_URL
            ? new Response(code, { headers: { 'Content-Type': 'application/javascript' } })
            : new Response('not found', { status: 404 }),
        ),
      ],
    },
    beforeParse(window: Window & typeof globalThis) {
      window.Date.now = () => clock;
      Object.defineProperty(window.document, 'visibilityState', { get: () => visibility });
      window.document.hasFocus = () => focused;
      Object.defineProperty(window.screen, 'width', { value: 1920 });
      Object.defineProperty(window.screen, 'height', { value: 1080 });
      if (options.beacon === false) {
        (window.navigator as { sendBeacon?: unknown }).sendBeacon = undefined;
        window.fetch = (async (endpoint: string, init: RequestInit) => {
          pending.push(Promise.resolve({ endpoint, payload: JSON.parse(String(init.body)), init }));
          return new Response(null, { status: 202 });
        }) as typeof fetch;
      } else {
        window.navigator.sendBeacon = (endpoint: string | URL, data?: BodyInit | null) => {
          const blob = data as Blob;
          if (blob.type !== 'text/plain') throw new Error(`beacon sent as ${blob.type}, not text/plain`);
          pending.push(blob.text().then((text) => ({ endpoint: String(endpoint), payload: JSON.parse(text) })));
          return true;
        };
      }
    },
  });
  const window = dom.window as unknown as TestWindow;
  // The tracker's listener was added first, so it has run when this one resolves.
  const next = (type: string) => new Promise<void>((resolve) => window.addEventListener(type, () => resolve(), { once: true }));
  async function take(): Promise<Sent[]> {
    if (pageErrors.length) throw pageErrors[0];
    const sent = await Promise.all(pending.splice(0));
    for (const { payload } of sent) checkContract(payload);
    return sent;
  }
  await new Promise((resolve) => window.addEventListener('load', resolve));
  // jsdom cannot navigate: stop link clicks after the tracker (a capture listener) has seen them.
  window.addEventListener('click', (event) => event.preventDefault());
  window.addEventListener('auxclick', (event) => event.preventDefault());

  return {
    window,
    drain: take,
    payloads: async () => (await take()).map((sent) => sent.payload),
    advance(ms) {
      clock += ms;
    },
    setVisibility(state) {
      visibility = state;
      window.document.dispatchEvent(new window.Event('visibilitychange'));
    },
    setFocus(value) {
      focused = value;
      window.dispatchEvent(new window.FocusEvent(value ? 'focus' : 'blur'));
    },
    click(selector, init = {}) {
      const element = window.document.querySelector(selector);
      if (!element) throw new Error(`no element ${selector}`);
      element.dispatchEvent(new window.MouseEvent(init.button ? 'auxclick' : 'click', { bubbles: true, cancelable: true, ...init }));
    },
    async setHash(hash) {
      const changed = next('hashchange');
      window.location.hash = hash;
      await changed;
    },
    next,
  };
}
