import { describe, expect, it } from 'vitest';
import { formatChange, formatDuration, formatMetric, formatNumber, formatPercent } from './format.js';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1k'],
    [1234, '1.2k'],
    [1250, '1.3k'],
    [12_345, '12.3k'],
    [123_456, '123k'],
    [999_499, '999k'],
    [999_500, '1M'],
    [99_949, '99.9k'],
    [99_950, '100k'],
    [1_500_000, '1.5M'],
    [2_000_000_000, '2B'],
    [-1234, '-1.2k'],
    [1.75, '1.75'],
    [NaN, '–'],
  ])('%d → %s', (n, text) => expect(formatNumber(n)).toBe(text));
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [59.6, '1m'],
    [60, '1m'],
    [200, '3m 20s'],
    [3600, '1h'],
    [3725, '1h 2m'],
    [-1, '–'],
  ])('%d s → %s', (s, text) => expect(formatDuration(s)).toBe(text));
});

describe('formatMetric', () => {
  it('formats each metric as its unit', () => {
    expect(formatMetric('visitors', 1234)).toBe('1.2k');
    expect(formatMetric('bounce_rate', 41.46)).toBe('41.5%');
    expect(formatMetric('visit_duration', 200)).toBe('3m 20s');
    expect(formatMetric('views_per_visit', 1.756)).toBe('1.76');
    expect(formatMetric('revenue', 1234.5)).toBe('1,234.50');
    expect(formatPercent(33.333)).toBe('33.3%');
  });
});

describe('formatChange', () => {
  it('colours a rise as good, except for bounce rate whose change is in points', () => {
    expect(formatChange('visitors', 12.34)).toMatchObject({ text: '↑12%', tone: 'good' });
    expect(formatChange('visitors', -4.25)).toMatchObject({ text: '↓4.3%', tone: 'bad' });
    expect(formatChange('bounce_rate', 5)).toMatchObject({ text: '↑5 pp', tone: 'bad' });
    expect(formatChange('bounce_rate', -2.5)).toMatchObject({ text: '↓2.5 pp', tone: 'good' });
    expect(formatChange('visit_duration', 0)).toMatchObject({ text: '0%', tone: 'neutral' });
  });
  it('shows a dash when there is nothing to compare with', () => {
    expect(formatChange('visitors', null)).toMatchObject({ text: '–', tone: 'neutral' });
  });
});
