import { describe, expect, it } from 'vitest';
import { deviceOf, screenOf, UA_DEVICE_TYPES, VIEWPORT_BREAKPOINTS } from './device.js';

describe('deviceOf', () => {
  it.each([
    [320, undefined, 'mobile'],
    [575, undefined, 'mobile'],
    [576, undefined, 'tablet'],
    [768, undefined, 'tablet'],
    [991, undefined, 'tablet'],
    [992, undefined, 'laptop'],
    [1366, undefined, 'laptop'],
    [1439, undefined, 'laptop'],
    [1440, undefined, 'desktop'],
    [2560, undefined, 'desktop'],
    [575.5, undefined, 'mobile'],
    // The viewport wins over the UA: a phone UA in a wide window is measured by its window.
    [1920, 'mobile', 'desktop'],
    [400, 'tablet', 'mobile'],
    // No usable width: the UA's device type decides.
    [undefined, 'mobile', 'mobile'],
    [undefined, 'tablet', 'tablet'],
    [undefined, 'wearable', 'mobile'],
    [undefined, 'smarttv', 'desktop'],
    [undefined, 'console', 'desktop'],
    [undefined, 'TABLET', 'tablet'],
    [0, 'mobile', 'mobile'],
    [-5, 'tablet', 'tablet'],
    [Number.NaN, 'mobile', 'mobile'],
    [Number.POSITIVE_INFINITY, 'tablet', 'tablet'],
    [null, null, 'desktop'],
    [undefined, undefined, 'desktop'],
    [undefined, '', 'desktop'],
    [undefined, '__proto__', 'desktop'],
    [undefined, 'toString', 'desktop'],
  ] as const)('width %s, UA type %s -> %s', (width, type, expected) => {
    expect(deviceOf(width, type)).toBe(expected);
  });

  it('has ascending breakpoints', () => {
    const bounds = VIEWPORT_BREAKPOINTS.map(([max]) => max);
    expect([...bounds].sort((a, b) => a - b)).toEqual(bounds);
    expect(Object.keys(UA_DEVICE_TYPES).every((k) => k === k.toLowerCase())).toBe(true);
  });
});

describe('screenOf', () => {
  it.each([
    [1920, 1080, '1920x1080'],
    [390, 844, '390x844'],
    [1440.4, 900.6, '1440x901'],
    [0, 1080, ''],
    [1920, 0, ''],
    [undefined, 1080, ''],
    [1920, null, ''],
    [-1, 5, ''],
    [Number.NaN, 5, ''],
    [200_000, 5, ''],
  ] as const)('%s x %s -> "%s"', (w, h, expected) => {
    expect(screenOf(w, h)).toBe(expected);
  });
});
