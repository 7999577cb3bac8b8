import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, dateRangeOf, decodeFilter, encodeFilter, filtersForQuery, parseState, stateToSearch, withFilter, withoutFilter, type DashboardState } from './dashboard-state.js';

describe('dashboard state in the URL', () => {
  it('leaves defaults out and reads them back', () => {
    expect(stateToSearch(DEFAULT_STATE)).toBe('');
    expect(parseState('')).toEqual(DEFAULT_STATE);
  });

  it('round-trips period, custom range, filters and metric', () => {
    const state: DashboardState = {
      period: 'custom',
      from: '2026-03-01',
      to: '2026-03-31',
      filters: [
        { op: 'is', dimension: 'page', values: ['/blog/a,b & c?x=1#y'] },
        { op: 'contains_not', dimension: 'event:props:plan', values: ['pro', 'team'] },
      ],
      metric: 'bounce_rate',
      prop: 'plan type',
    };
    const search = stateToSearch(state);
    expect(search).toBe('?period=custom&from=2026-03-01&to=2026-03-31&f=is,page,/blog/a%2Cb%20%26%20c%3Fx%3D1%23y&f=contains_not,event:props:plan,pro,team&metric=bounce_rate&prop=plan%20type');
    expect(parseState(search)).toEqual(state);
  });

  it('keeps filter values with commas, percent signs, unicode and empty strings', () => {
    for (const value of ['a,b', '100%', 'Zürich', '日本', '', ' spaced ']) {
      const f = { op: 'is' as const, dimension: 'city', values: [value] };
      expect(decodeFilter(encodeFilter(f))).toEqual(f);
    }
  });

  it('ignores what it does not understand instead of failing', () => {
    expect(parseState('?period=forever&metric=revenue&f=drop,page,/x&f=is,time,2026&f=is,page&f=is,page,%E0%A4%A&from=2026-02-30')).toEqual(DEFAULT_STATE);
    // A custom range needs both ends; reversed ends are put in order.
    expect(parseState('?period=custom&from=2026-03-01')).toEqual(DEFAULT_STATE);
    expect(parseState('?period=custom&from=2026-03-31&to=2026-03-01')).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    // from/to without custom are dropped.
    expect(parseState('?period=7d&from=2026-03-01&to=2026-03-02')).toEqual({ ...DEFAULT_STATE, period: '7d' });
  });

  it('turns the state into Stats API arguments', () => {
    expect(dateRangeOf({ ...DEFAULT_STATE, period: '7d' })).toBe('7d');
    expect(dateRangeOf({ ...DEFAULT_STATE, period: 'custom', from: '2026-01-01', to: '2026-01-07' })).toEqual(['2026-01-01', '2026-01-07']);
    expect(filtersForQuery([{ op: 'is', dimension: 'country', values: ['DE'] }])).toEqual([['is', 'country', ['DE']]]);
  });

  it('replaces a filter on the same dimension and removes by position', () => {
    let s = withFilter(DEFAULT_STATE, 'page', '/a');
    s = withFilter(s, 'country', 'DE');
    s = withFilter(s, 'page', '/b');
    expect(s.filters).toEqual([
      { op: 'is', dimension: 'country', values: ['DE'] },
      { op: 'is', dimension: 'page', values: ['/b'] },
    ]);
    expect(withoutFilter(s, 0).filters).toEqual([{ op: 'is', dimension: 'page', values: ['/b'] }]);
  });
});
