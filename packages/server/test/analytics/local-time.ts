// Local calendar arithmetic in an IANA time zone, from Intl.DateTimeFormat only: the oracle's clock, independent of the engine.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone (milliseconds dropped). */
export function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** UTC offset of the zone at that instant, in minutes (New York in winter: -300, Kolkata: 330). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const whole = ms - mod(ms, 1000);
  return Math.round((wall - whole) / 60_000);
}

export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' of the instant in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function formatUtcDate(t: number): string {
  const d = new Date(t);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Calendar arithmetic on plain dates (no zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parseDate(date);
  return formatUtcDate(Date.UTC(y, m - 1, d) + n * DAY_MS);
}

/** Adds months, clamping the day to the target month's length (2024-02-29 - 12 months = 2023-02-28). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parseDate(date);
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return formatUtcDate(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, lastDay)));
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  const [y1, m1, d1] = parseDate(a);
  const [y2, m2, d2] = parseDate(b);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

/** ISO weekday: Monday 1 ... Sunday 7. */
export function isoWeekday(date: string): number {
  const [y, m, d] = parseDate(date);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The instant of local midnight starting that date in the zone (midnight exists in the zones used here). */
export function localMidnight(date: string, timeZone: string): number {
  const [y, m, d] = parseDate(date);
  return localWallToInstant(y, m, d, 0, 0, 0, timeZone);
}

/** The instant showing that wall-clock time; for a repeated hour the earlier instant, for a skipped one the shifted instant. */
export function localWallToInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Try the offsets valid around that wall time; keep the earliest instant that shows it.
  const candidates = new Set<number>();
  for (const probe of [wall - 14 * HOUR_MS, wall, wall + 14 * HOUR_MS]) candidates.add(offsetMinutes(probe, timeZone));
  const hits: number[] = [];
  for (const off of candidates) {
    const t = wall - off * 60_000;
    if (offsetMinutes(t, timeZone) === off) hits.push(t);
  }
  if (hits.length > 0) return Math.min(...hits);
  // A skipped wall time: use the offset before the gap.
  return wall - offsetMinutes(wall - 14 * HOUR_MS, timeZone) * 60_000;
}

/** Start of the local hour containing the instant (zones here shift by whole hours, on hour boundaries). */
export function localHourStart(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return ms - mod(ms, 1000) - (p.minute * 60 + p.second) * 1000;
}

export function minuteStart(ms: number): number {
  return ms - mod(ms, 60_000);
}

/** 'YYYY-MM-DDTHH:MM:SS+HH:MM', the local wall time with its UTC offset. */
export function isoWithOffset(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const off = offsetMinutes(ms, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
