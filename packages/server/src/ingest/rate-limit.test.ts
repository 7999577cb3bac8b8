// Token buckets: burst, refill over an injected clock, independent keys, bounded memory.
import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limit.js';

/** Number of buckets held; read through the private field to check the memory bound. */
function heldKeys(limiter: TokenBucketLimiter): number {
  return (limiter as unknown as { buckets: Map<string, unknown> }).buckets.size;
}

function takeN(limiter: TokenBucketLimiter, key: string, n: number, now: number): boolean[] {
  return Array.from({ length: n }, () => limiter.take(key, now));
}

describe('TokenBucketLimiter', () => {
  it('allows a full burst at once, then refuses', () => {
    const l = new TokenBucketLimiter(1, 5);
    expect(takeN(l, 'ip', 5, 0)).toEqual([true, true, true, true, true]);
    expect(l.take('ip', 0)).toBe(false);
    expect(l.take('ip', 0)).toBe(false);
  });

  it('defaults the burst to four seconds of the rate', () => {
    const l = new TokenBucketLimiter(10);
    const results = takeN(l, 'ip', 41, 1_000);
    expect(results.filter(Boolean)).toHaveLength(40);
    expect(results[40]).toBe(false);
  });

  it('refills at ratePerSec, continuously, whatever the refused attempts in between', () => {
    const l = new TokenBucketLimiter(2, 4); // one token every 500 ms
    const t0 = 10_000;
    expect(takeN(l, 'ip', 4, t0).every(Boolean)).toBe(true);
    expect(l.take('ip', t0 + 250)).toBe(false); // 0.5 token accrued
    expect(l.take('ip', t0 + 499)).toBe(false); // 0.998
    expect(l.take('ip', t0 + 500)).toBe(true); // 1 token -> used
    expect(l.take('ip', t0 + 500)).toBe(false);
    // 1.5 s later: 3 tokens
    expect(takeN(l, 'ip', 4, t0 + 2_000)).toEqual([true, true, true, false]);
  });

  it('never holds more than the burst, however long the key was idle', () => {
    const l = new TokenBucketLimiter(100, 3);
    expect(takeN(l, 'ip', 3, 0).every(Boolean)).toBe(true);
    const later = 24 * 3600_000;
    expect(takeN(l, 'ip', 4, later)).toEqual([true, true, true, false]);
  });

  it('sustains the rate over time', () => {
    // 4/s probed every 125 ms: 0.5 token per probe, exact in binary floating point
    const l = new TokenBucketLimiter(4, 4);
    takeN(l, 'ip', 4, 0); // spend the initial burst
    let allowed = 0;
    for (let ms = 125; ms <= 10_000; ms += 125) if (l.take('ip', ms)) allowed++;
    expect(allowed).toBe(40); // 4/s × 10 s

    // an awkward probe interval (0.1 token per probe) gives the same rate, give or take rounding
    const m = new TokenBucketLimiter(5, 5);
    takeN(m, 'ip', 5, 0);
    let allowed2 = 0;
    for (let ms = 20; ms <= 10_000; ms += 20) if (m.take('ip', ms)) allowed2++;
    expect(allowed2).toBeGreaterThanOrEqual(49);
    expect(allowed2).toBeLessThanOrEqual(50);
  });

  it('supports rates under one per second', () => {
    const l = new TokenBucketLimiter(0.5, 1); // one token every 2 s
    expect(l.take('k', 0)).toBe(true);
    expect(l.take('k', 1_999)).toBe(false);
    expect(l.take('k', 2_000)).toBe(true);
  });

  it('keeps keys apart', () => {
    const l = new TokenBucketLimiter(1, 2);
    expect(takeN(l, 'a', 3, 0)).toEqual([true, true, false]);
    expect(takeN(l, 'b', 3, 0)).toEqual([true, true, false]);
    expect(l.take('c', 0)).toBe(true);
    expect(l.take('a', 0)).toBe(false);
  });

  it('never holds more than maxKeys buckets, however many keys arrive', () => {
    const l = new TokenBucketLimiter(1, 10, 100);
    for (let i = 0; i < 10_000; i++) {
      l.take(`k${i}`, i); // 1 ms apart: no bucket refills to full in between
      expect(heldKeys(l)).toBeLessThanOrEqual(100);
    }
    // the limiter still works after all that churn
    expect(takeN(l, 'fresh', 11, 20_000).filter(Boolean)).toHaveLength(10);
  });

  it('at the bound, drops only buckets that have refilled completely and keeps the busy ones', () => {
    const l = new TokenBucketLimiter(1, 2, 3);
    expect(l.take('idle', 0)).toBe(true); // 1 token left; full again at t=1 s
    expect(l.take('busy1', 9_000)).toBe(true); // 1 left
    expect(l.take('busy2', 9_000)).toBe(true); // 1 left
    expect(heldKeys(l)).toBe(3);
    expect(l.take('new', 9_500)).toBe(true); // 'idle' is full: evicted, the others stay
    expect(heldKeys(l)).toBe(3);
    // busy1 kept its state: 1 + 0.5 = 1.5 tokens at 9.5 s -> one take, then refused
    expect(l.take('busy1', 9_500)).toBe(true);
    expect(l.take('busy1', 9_500)).toBe(false);
    // idle was forgotten, which costs nothing: it comes back with a full bucket
    expect(takeN(l, 'idle', 3, 9_500)).toEqual([true, true, false]);
  });
});
