import { describe, expect, it } from 'vitest';
import { clearUserAgentCache, parseUserAgent } from './user-agent.js';
import { BROWSER_NAMES, OS_NAMES, OS_VERSION_STYLE } from './ua-names.js';

const W10 = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)';
const BLINK = 'AppleWebKit/537.36 (KHTML, like Gecko)';

// [label, ua, browser, browserVersion, os, osVersion, deviceType]
const cases: [string, string, string, string, string, string, string][] = [
  ['Chrome on Windows', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36`, 'Chrome', '120', 'Windows', '10', ''],
  ['Edge on Windows', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91`, 'Edge', '120', 'Windows', '10', ''],
  ['Opera on Windows', `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0`, 'Opera', '106', 'Windows', '10', ''],
  ['Firefox on Windows 7', 'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0', 'Firefox', '115', 'Windows', '7', ''],
  ['Chrome on Windows 8.1', `Mozilla/5.0 (Windows NT 6.3; Win64; x64) ${BLINK} Chrome/109.0.0.0 Safari/537.36`, 'Chrome', '109', 'Windows', '8.1', ''],
  ['IE 11', 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko', 'Internet Explorer', '11', 'Windows', '10', ''],
  ['Safari on macOS 10.15', `${MAC} AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15`, 'Safari', '17', 'macOS', '10.15', ''],
  ['Safari on macOS 14', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', 'Safari', '17', 'macOS', '14', ''],
  ['Edge on macOS', `${MAC} ${BLINK} Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0`, 'Edge', '120', 'macOS', '10.15', ''],
  ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', 'Safari', '17', 'iOS', '17', 'mobile'],
  ['Chrome on iPad', 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1', 'Chrome', '120', 'iOS', '16', 'tablet'],
  ['Firefox on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15', 'Firefox', '121', 'iOS', '17', 'mobile'],
  ['Samsung Internet', `Mozilla/5.0 (Linux; Android 14; SM-S918B) ${BLINK} SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36`, 'Samsung Internet', '23', 'Android', '14', 'mobile'],
  ['Chrome on Android', `Mozilla/5.0 (Linux; Android 10; K) ${BLINK} Chrome/120.0.0.0 Mobile Safari/537.36`, 'Chrome', '120', 'Android', '10', 'mobile'],
  ['Chrome on Android tablet', `Mozilla/5.0 (Linux; Android 14; SM-X710) ${BLINK} Chrome/120.0.0.0 Safari/537.36`, 'Chrome', '120', 'Android', '14', 'tablet'],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0', 'Firefox', '121', 'Android', '14', 'mobile'],
  ['Android WebView', `Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) ${BLINK} Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36`, 'Android WebView', '119', 'Android', '13', 'mobile'],
  ['Edge on Android', `Mozilla/5.0 (Linux; Android 10; HD1913) ${BLINK} Chrome/120.0.6099.144 Mobile Safari/537.36 EdgA/120.0.2210.126`, 'Edge', '120', 'Android', '10', 'mobile'],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox', '121', 'Linux', '', ''],
  ['Firefox on Ubuntu folds into Linux', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox', '121', 'Linux', '', ''],
  ['Chrome OS', `Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) ${BLINK} Chrome/120.0.0.0 Safari/537.36`, 'Chrome', '120', 'Chrome OS', '', ''],
  ['Headless Chrome', `Mozilla/5.0 (X11; Linux x86_64) ${BLINK} HeadlessChrome/120.0.6099.224 Safari/537.36`, 'Headless Chrome', '120', 'Linux', '', ''],
  ['Yandex Browser', `${W10} ${BLINK} Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36`, 'Yandex Browser', '24', 'Windows', '10', ''],
  ['UC Browser', `Mozilla/5.0 (Linux; U; Android 13; en-US; SM-A515F) ${BLINK} Version/4.0 Chrome/100.0.4896.58 UCBrowser/13.5.0.1306 Mobile Safari/537.36`, 'UC Browser', '13', 'Android', '13', 'mobile'],
  ['Facebook in-app', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/444.0.0.30.110;]', 'Facebook', '444', 'iOS', '17', 'mobile'],
  ['Electron app (a real user)', `${MAC} ${BLINK} slack/4.36.140 Chrome/120.0.6099.56 Electron/28.0.0 Safari/537.36`, 'Electron', '28', 'macOS', '10.15', ''],
  ['Xbox', `Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) ${BLINK} Chrome/120.0.0.0 Safari/537.36 Edge/44.18363.8131`, 'Edge', '44', 'Xbox', 'One', 'console'],
  ['empty', '', 'Unknown', '', 'Unknown', '', ''],
  ['whitespace', '   ', 'Unknown', '', 'Unknown', '', ''],
  ['curl', 'curl/8.4.0', 'Unknown', '', 'Unknown', '', ''],
  ['script injection', '<script>alert(1)</script>', 'Unknown', '', 'Unknown', '', ''],
];

describe('parseUserAgent', () => {
  it.each(cases)('%s', (_label, ua, browser, browserVersion, os, osVersion, deviceType) => {
    expect(parseUserAgent(ua)).toEqual({ browser, browserVersion, os, osVersion, deviceType });
  });

  it('answers repeated user agents from the cache with the same frozen object', () => {
    clearUserAgentCache();
    const ua = cases[0]![1];
    const first = parseUserAgent(ua);
    expect(parseUserAgent(ua)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('never throws on hostile input and clips very long strings', () => {
    const long = `${W10} ${BLINK} Chrome/120.0.0.0 Safari/537.36 ${'x'.repeat(100_000)}`;
    expect(parseUserAgent(long)).toMatchObject({ browser: 'Chrome', browserVersion: '120', os: 'Windows' });
    for (const ua of ['\u0000\uFFFF\uD800', '%E0%A4%A', 'Mozilla/5.0 (__proto__; constructor)', '/'.repeat(5_000)]) {
      const info = parseUserAgent(ua);
      expect(typeof info.browser).toBe('string');
      expect(info.browser.length).toBeLessThanOrEqual(64);
    }
  });

  it('tolerates a non-string at run time', () => {
    expect(parseUserAgent(undefined as unknown as string)).toEqual({ browser: 'Unknown', browserVersion: '', os: 'Unknown', osVersion: '', deviceType: '' });
  });
});

describe('ua-names tables', () => {
  it('map to non-empty names without surrounding spaces', () => {
    for (const table of [BROWSER_NAMES, OS_NAMES]) {
      for (const [from, to] of Object.entries(table)) {
        expect(from.trim()).toBe(from);
        expect(to.trim()).toBe(to);
        expect(to).not.toBe('');
      }
    }
  });

  it('give a version style only to OS names we actually store', () => {
    const stored = new Set([...Object.values(OS_NAMES), 'Windows', 'Windows Phone', 'Windows Mobile', 'Xbox']);
    for (const os of Object.keys(OS_VERSION_STYLE)) expect(stored.has(os)).toBe(true);
  });
});
