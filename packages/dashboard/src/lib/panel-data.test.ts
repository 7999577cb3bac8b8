import { describe, expect, it } from 'vitest';
import { csvFileName, panelQuery, valueText, type PanelContext } from './panel-data.js';

const ctx: PanelContext = { siteId: 3, siteDomain: 'shop.example', dateRange: ['2026-03-01', '2026-03-31'], filters: [['is', 'country', ['DE']]], onFilter: () => undefined };
const tab = { id: 'page', label: 'Top pages', dimension: 'page', metrics: ['visitors', 'pageviews'] };

describe('panel data', () => {
  it('reads empty and coded values as people would', () => {
    expect(valueText('source', '')).toBe('Direct / none');
    expect(valueText('utm_campaign', '')).toBe('(not set)');
    expect(valueText('country', 'FR')).toBe('France');
    expect(valueText('country', '')).toBe('Unknown');
  });
  it('drops bidirectional overrides so visitor text cannot read backwards', () => {
    expect(valueText('event', 'Zero\u202Edesrever\u202C')).toBe('Zerodesrever');
    expect(valueText('page', '/a\u2066b\u2069')).toBe('/ab');
  });
  it('asks for the tab ordered by its first metric, adding a search as a contains filter', () => {
    expect(panelQuery(ctx, tab, { limit: 20, offset: 40, search: 'pri' })).toEqual({
      site_id: 3,
      date_range: ['2026-03-01', '2026-03-31'],
      metrics: ['visitors', 'pageviews'],
      dimensions: ['page'],
      filters: [['is', 'country', ['DE']], ['contains', 'page', ['pri']]],
      order_by: [['visitors', 'desc']],
      limit: 20,
      offset: 40,
    });
    expect(csvFileName(ctx, tab)).toBe('shop.example-page-2026-03-01_2026-03-31.csv');
  });
});
