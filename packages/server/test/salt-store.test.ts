// SaltStore against a real PGlite metadata store: daily rotation, retention of yesterday, convergence of instances.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SaltStore } from '../src/ingest/identity.js';
import { openMetaStore, type MetaStore } from '../src/stores/meta/meta-store.js';
import { dailySalt } from '../src/stores/meta/schema.js';

const dataDir = mkdtempSync(join(tmpdir(), 'eesee-salt-store-'));
let meta: MetaStore;

beforeAll(async () => {
  meta = await openMetaStore({ dataDir });
});
afterAll(async () => {
  await meta?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await meta.db.delete(dailySalt);
});

const at = (iso: string) => Date.parse(iso);

async function storedSalts(): Promise<{ day: string; salt: Buffer }[]> {
  const rows = await meta.db.select().from(dailySalt).orderBy(asc(dailySalt.day));
  return rows.map((r) => ({ day: r.day, salt: Buffer.from(r.salt) }));
}

describe('SaltStore', () => {
  it('rotate creates a random 32-byte salt for the UTC day of now and serves it', async () => {
    const salts = new SaltStore(meta.db);
    const now = at('2026-03-10T12:00:00Z');
    expect(salts.saltFor(now)).toBeUndefined();
    await salts.rotate(now);
    const rows = await storedSalts();
    expect(rows.map((r) => r.day)).toEqual(['2026-03-10']);
    expect(rows[0]!.salt).toHaveLength(32);
    expect(rows[0]!.salt.equals(Buffer.alloc(32))).toBe(false);
    const served = salts.saltFor(now)!;
    expect(Buffer.isBuffer(served)).toBe(true);
    expect(served.equals(rows[0]!.salt)).toBe(true);
    // any instant of the same UTC day gets the same salt
    expect(salts.saltFor(at('2026-03-10T00:00:00Z'))!.equals(served)).toBe(true);
    expect(salts.saltFor(at('2026-03-10T23:59:59.999Z'))!.equals(served)).toBe(true);
    // no salt for yesterday was ever made
    expect(salts.previousSaltFor(now)).toBeUndefined();
  });

  it('rotating twice on the same day keeps the same salt', async () => {
    const salts = new SaltStore(meta.db);
    await salts.rotate(at('2026-03-10T01:00:00Z'));
    const first = Buffer.from(salts.saltFor(at('2026-03-10T01:00:00Z'))!);
    await salts.rotate(at('2026-03-10T22:00:00Z'));
    expect(salts.saltFor(at('2026-03-10T22:00:00Z'))!.equals(first)).toBe(true);
    expect(await storedSalts()).toHaveLength(1);
  });

  it('different days get different salts', async () => {
    const salts = new SaltStore(meta.db);
    await salts.rotate(at('2026-03-09T12:00:00Z'));
    await salts.rotate(at('2026-03-10T12:00:00Z'));
    const rows = await storedSalts();
    expect(rows.map((r) => r.day)).toEqual(['2026-03-09', '2026-03-10']);
    expect(rows[0]!.salt.equals(rows[1]!.salt)).toBe(false);
  });

  it("keeps yesterday's salt and deletes older ones", async () => {
    await meta.db.insert(dailySalt).values([
      { day: '2025-01-01', salt: Buffer.alloc(32, 1) },
      { day: '2026-03-07', salt: Buffer.alloc(32, 7) },
      { day: '2026-03-08', salt: Buffer.alloc(32, 8) },
      { day: '2026-03-09', salt: Buffer.alloc(32, 9) },
    ]);
    const salts = new SaltStore(meta.db);
    const now = at('2026-03-10T08:00:00Z');
    await salts.rotate(now);
    const rows = await storedSalts();
    expect(rows.map((r) => r.day)).toEqual(['2026-03-09', '2026-03-10']);
    expect(rows[0]!.salt.equals(Buffer.alloc(32, 9))).toBe(true);
    expect(salts.previousSaltFor(now)!.equals(Buffer.alloc(32, 9))).toBe(true);
    expect(salts.saltFor(now)!.equals(rows[1]!.salt)).toBe(true);
    // deleted days are not served either
    expect(salts.saltFor(at('2026-03-08T08:00:00Z'))).toBeUndefined();
  });

  it('a rotation on each of three days leaves exactly the last two', async () => {
    const salts = new SaltStore(meta.db);
    await salts.rotate(at('2026-03-08T12:00:00Z'));
    const day8 = Buffer.from(salts.saltFor(at('2026-03-08T12:00:00Z'))!);
    await salts.rotate(at('2026-03-09T12:00:00Z'));
    const day9 = Buffer.from(salts.saltFor(at('2026-03-09T12:00:00Z'))!);
    expect(salts.previousSaltFor(at('2026-03-09T12:00:00Z'))!.equals(day8)).toBe(true);
    await salts.rotate(at('2026-03-10T12:00:00Z'));
    const rows = await storedSalts();
    expect(rows.map((r) => r.day)).toEqual(['2026-03-09', '2026-03-10']);
    expect(rows.some((r) => r.salt.equals(day8))).toBe(false);
    expect(salts.previousSaltFor(at('2026-03-10T12:00:00Z'))!.equals(day9)).toBe(true);
    expect(salts.saltFor(at('2026-03-08T12:00:00Z'))).toBeUndefined();
  });

  it('two SaltStores over the same database converge on one salt per day (sequential)', async () => {
    const a = new SaltStore(meta.db);
    const b = new SaltStore(meta.db);
    const now = at('2026-03-10T09:30:00Z');
    await a.rotate(now);
    await b.rotate(now + 5_000);
    expect(a.saltFor(now)!.equals(b.saltFor(now)!)).toBe(true);
    expect(await storedSalts()).toHaveLength(1);
  });

  it('two SaltStores rotating at the same moment converge too', async () => {
    const stores = Array.from({ length: 4 }, () => new SaltStore(meta.db));
    const now = at('2026-03-11T00:00:00.000Z');
    await Promise.all(stores.map((s) => s.rotate(now)));
    const first = stores[0]!.saltFor(now)!;
    for (const s of stores) expect(s.saltFor(now)!.equals(first)).toBe(true);
    const rows = await storedSalts();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.salt.equals(first)).toBe(true);
  });

  it('saltFor and previousSaltFor around UTC midnight', async () => {
    const salts = new SaltStore(meta.db);
    const before = at('2026-03-10T23:59:59.999Z');
    const after = at('2026-03-11T00:00:00.000Z');
    await salts.rotate(before);
    const day10 = Buffer.from(salts.saltFor(before)!);

    // Midnight passed but no rotation yet: today's salt is unknown, yesterday's (the 10th) is served.
    expect(salts.saltFor(after)).toBeUndefined();
    expect(salts.previousSaltFor(after)!.equals(day10)).toBe(true);

    await salts.rotate(after);
    const day11 = salts.saltFor(after)!;
    expect(day11.equals(day10)).toBe(false);
    expect(salts.previousSaltFor(after)!.equals(day10)).toBe(true);
    // the last millisecond of the 10th still maps to the 10th's salt
    expect(salts.saltFor(before)!.equals(day10)).toBe(true);
    // the previous day of 23:59:59.999 on the 10th is the 9th: never created
    expect(salts.previousSaltFor(before)).toBeUndefined();
    // a whole day later the 11th is "previous"
    expect(salts.previousSaltFor(at('2026-03-12T00:00:00.000Z'))!.equals(day11)).toBe(true);
  });

  it('a fresh instance loads salts created by another one', async () => {
    const a = new SaltStore(meta.db);
    await a.rotate(at('2026-03-09T12:00:00Z'));
    await a.rotate(at('2026-03-10T12:00:00Z'));
    const b = new SaltStore(meta.db);
    await b.rotate(at('2026-03-10T13:00:00Z'));
    expect(b.saltFor(at('2026-03-10T13:00:00Z'))!.equals(a.saltFor(at('2026-03-10T12:00:00Z'))!)).toBe(true);
    expect(b.previousSaltFor(at('2026-03-10T13:00:00Z'))!.equals(a.previousSaltFor(at('2026-03-10T12:00:00Z'))!)).toBe(true);
  });
});
