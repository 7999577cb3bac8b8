// visitorIdOf and utcDay, checked against independently computed values (SaltStore: test/salt-store.test.ts).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { utcDay, visitorIdOf } from './identity.js';

const UINT64_MAX = 2n ** 64n - 1n;
const SALT_A = Buffer.from(Array.from({ length: 32 }, (_, i) => i)); // 00 01 02 ... 1f
const SALT_FF = Buffer.alloc(32, 0xff);
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0';

/** The documented layout, assembled as one byte string: salt ‖ String(siteId) ‖ 0 ‖ ip ‖ 0 ‖ ua; first 8 bytes big-endian. */
function expectedId(salt: Buffer, siteId: number, ip: string, ua: string): string {
  const message = Buffer.concat([salt, Buffer.from(String(siteId), 'utf8'), Buffer.from([0]), Buffer.from(ip, 'utf8'), Buffer.from([0]), Buffer.from(ua, 'utf8')]);
  const digest = createHash('sha256').update(message).digest();
  return BigInt('0x' + digest.subarray(0, 8).toString('hex')).toString(10);
}

describe('visitorIdOf', () => {
  it('matches fixed vectors computed outside Node (Python hashlib) for the documented layout', () => {
    // python: int.from_bytes(sha256(bytes(range(32)) + b'42\0203.0.113.7\0' + ua.encode()).digest()[:8], 'big')
    expect(visitorIdOf(SALT_A, 42, '203.0.113.7', `${UA} – ü`)).toBe('7129786430507710540');
    expect(visitorIdOf(SALT_FF, 7, '2001:db8::1', 'curl/8.0')).toBe('4311415934548611186');
    // first byte 0xf9: above 2^63, so the id must be read as unsigned
    expect(visitorIdOf(SALT_FF, 2, '2001:db8::1', 'curl/8.0')).toBe('17988982845659595594');
  });

  it('equals an independent SHA-256 over the concatenated layout for assorted inputs', () => {
    const cases: [Buffer, number, string, string][] = [
      [SALT_A, 1, '127.0.0.1', ''],
      [SALT_A, 4294967295, '::ffff:10.0.0.1', UA],
      [SALT_FF, 123, '', 'ü日本語 UA'],
      [Buffer.alloc(32), 99, '198.51.100.23', 'x'.repeat(2000)],
    ];
    for (const [salt, site, ip, ua] of cases) expect(visitorIdOf(salt, site, ip, ua)).toBe(expectedId(salt, site, ip, ua));
  });

  it('is deterministic', () => {
    const a = visitorIdOf(SALT_A, 5, '192.0.2.1', UA);
    const b = visitorIdOf(Buffer.from(SALT_A), 5, '192.0.2.1', UA);
    expect(a).toBe(b);
    expect(visitorIdOf(SALT_A, 5, '192.0.2.1', UA)).toBe(a);
  });

  it('differs when the salt, the site, the ip or the user agent differs', () => {
    const base = visitorIdOf(SALT_A, 5, '192.0.2.1', UA);
    const otherSalt = Buffer.from(SALT_A);
    otherSalt[31] = otherSalt[31]! ^ 1;
    const variants = [
      visitorIdOf(otherSalt, 5, '192.0.2.1', UA),
      visitorIdOf(SALT_A, 6, '192.0.2.1', UA),
      visitorIdOf(SALT_A, 5, '192.0.2.2', UA),
      visitorIdOf(SALT_A, 5, '192.0.2.1', UA + ' '),
    ];
    for (const v of variants) expect(v).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('separates fields, so moving characters across a field boundary changes the id', () => {
    // site 1 + ip "23.0.0.1" vs site 12 + ip "3.0.0.1": same bytes without the separator
    expect(visitorIdOf(SALT_A, 1, '23.0.0.1', UA)).not.toBe(visitorIdOf(SALT_A, 12, '3.0.0.1', UA));
    expect(visitorIdOf(SALT_A, 1, '10.0.0.1', 'ab')).not.toBe(visitorIdOf(SALT_A, 1, '10.0.0.1a', 'b'));
  });

  it('is a canonical decimal string that fits UInt64 and uses the full unsigned range', () => {
    let aboveSigned = 0;
    for (let i = 0; i < 256; i++) {
      const id = visitorIdOf(SALT_A, i + 1, `10.0.${i >> 8}.${i & 255}`, UA);
      expect(id).toMatch(/^(0|[1-9]\d{0,19})$/);
      const n = BigInt(id);
      expect(n >= 0n && n <= UINT64_MAX).toBe(true);
      if (n >= 2n ** 63n) aboveSigned++;
    }
    // Half the ids should have the top bit set; none at all would mean a signed or truncated read.
    expect(aboveSigned).toBeGreaterThan(64);
    expect(aboveSigned).toBeLessThan(192);
  });
});

describe('utcDay', () => {
  it('gives the UTC calendar day as YYYY-MM-DD', () => {
    expect(utcDay(Date.UTC(2026, 2, 10, 12, 0, 0))).toBe('2026-03-10');
    expect(utcDay(0)).toBe('1970-01-01');
  });

  it('turns exactly at UTC midnight', () => {
    const midnight = Date.UTC(2026, 0, 1);
    expect(utcDay(midnight - 1)).toBe('2025-12-31');
    expect(utcDay(midnight)).toBe('2026-01-01');
  });

  it('handles leap days and month ends', () => {
    expect(utcDay(Date.UTC(2028, 1, 29, 23, 59, 59, 999))).toBe('2028-02-29');
    expect(utcDay(Date.UTC(2028, 1, 29, 23, 59, 59, 999) + 1)).toBe('2028-03-01');
    expect(utcDay(Date.UTC(2026, 3, 30, 23, 0))).toBe('2026-04-30');
  });

  it('does not depend on the local time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
        process.env.TZ = tz;
        expect(utcDay(Date.UTC(2026, 5, 30, 23, 30))).toBe('2026-06-30');
        expect(utcDay(Date.UTC(2026, 6, 1, 0, 30))).toBe('2026-07-01');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
