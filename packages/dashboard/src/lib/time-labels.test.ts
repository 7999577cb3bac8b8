import { describe, expect, it } from 'vitest';
import { labelKind, longLabel, shortLabel } from './time-labels.js';

describe('time labels', () => {
  it('tells hours, days, weeks and months apart', () => {
    expect(labelKind(['2026-03-08T00:00:00-05:00', '2026-03-08T01:00:00-05:00'])).toBe('hour');
    expect(labelKind(['2026-03-08T10:00:00Z', '2026-03-08T10:01:00Z'])).toBe('minute');
    expect(labelKind(['2026-03-08', '2026-03-09'])).toBe('day');
    expect(labelKind(['2026-03-02', '2026-03-09'])).toBe('week');
    expect(labelKind(['2026-02-01', '2026-03-01'])).toBe('month');
  });
  it('reads the local clock time from the label, not the browser zone (DST day in New York)', () => {
    // 03:00 EDT follows 01:00 EST on 2026-03-08: the axis shows the site's wall clock.
    expect(shortLabel('2026-03-08T03:00:00-04:00', 'hour')).toBe('03:00');
    expect(longLabel('2026-03-08T01:00:00-05:00', 'hour')).toBe('Mar 8, 01:00');
    expect(shortLabel('2026-12-31', 'day')).toBe('Dec 31');
    expect(longLabel('2026-11-01', 'month')).toBe('Nov 2026');
    expect(shortLabel('2026-11-01', 'month')).toBe('Nov 26');
  });
});
