// The oracle checked against answers worked out by hand on tiny data sets, before it is trusted to judge the engine.
import { describe, expect, it } from 'vitest';
import { eventRow, FIXTURES, generateDataset, type EventRow } from './dataset.js';
import { addMonths, isoWithOffset, localMidnight, localWallToInstant, mondayOf } from './local-time.js';
import { bucketLabels, changeOf, comparisonRange, OracleRequestError, resolveDateRange, runOracle, type StatsRequest } from './oracle.js';

const NY = { id: 1, timezone: 'America/New_York' };
const IN = { id: 2, timezone: 'Asia/Kolkata' };
const NOW = new Date('2026-11-12T22:45:00Z'); // 17:45 EST
const at = (iso: string) => Date.parse(iso);

describe('local time in a zone', () => {
  it('New York midnights: 23-hour 2026-03-08, 25-hour 2026-11-01', () => {
    expect(localMidnight('2026-03-08', NY.timezone)).toBe(at('2026-03-08T05:00:00Z'));
    expect(localMidnight('2026-03-09', NY.timezone)).toBe(at('2026-03-09T04:00:00Z'));
    expect(localMidnight('2026-11-01', NY.timezone)).toBe(at('2026-11-01T04:00:00Z'));
    expect(localMidnight('2026-11-02', NY.timezone)).toBe(at('2026-11-02T05:00:00Z'));
  });

  it('Kolkata midnight is 18:30 UTC the day before', () => {
    expect(localMidnight('2026-06-16', IN.timezone)).toBe(at('2026-06-15T18:30:00Z'));
    expect(isoWithOffset(at('2026-06-15T18:30:00Z'), IN.timezone)).toBe('2026-06-16T00:00:00+05:30');
    expect(isoWithOffset(at('2026-06-15T18:29:59.999Z'), IN.timezone)).toBe('2026-06-15T23:59:59+05:30');
  });

  it('the repeated 01:00 hour keeps its two offsets; the earlier instant is taken for an ambiguous wall time', () => {
    expect(isoWithOffset(at('2026-11-01T05:30:00Z'), NY.timezone)).toBe('2026-11-01T01:30:00-04:00');
    expect(isoWithOffset(at('2026-11-01T06:30:00Z'), NY.timezone)).toBe('2026-11-01T01:30:00-05:00');
    expect(localWallToInstant(2026, 11, 1, 1, 30, 0, NY.timezone)).toBe(at('2026-11-01T05:30:00Z'));
  });

  it('calendar helpers', () => {
    expect(mondayOf('2026-11-01')).toBe('2026-10-26'); // a Sunday
    expect(mondayOf('2026-11-02')).toBe('2026-11-02');
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });
});

describe('date ranges and buckets', () => {
  const tz = NY.timezone;
  const now = NOW.getTime();
  const days = (r: { firstDay: string; lastDay: string }) => [r.firstDay, r.lastDay];

  it('named ranges resolve in the site zone', () => {
    expect(days(resolveDateRange('day', tz, now))).toEqual(['2026-11-12', '2026-11-12']);
    expect(days(resolveDateRange('yesterday', tz, now))).toEqual(['2026-11-11', '2026-11-11']);
    expect(days(resolveDateRange('7d', tz, now))).toEqual(['2026-11-06', '2026-11-12']);
    expect(days(resolveDateRange('30d', tz, now))).toEqual(['2026-10-14', '2026-11-12']);
    expect(days(resolveDateRange('month', tz, now))).toEqual(['2026-11-01', '2026-11-12']);
    expect(days(resolveDateRange('last_month', tz, now))).toEqual(['2026-10-01', '2026-10-31']);
    expect(days(resolveDateRange('12mo', tz, now))).toEqual(['2025-12-01', '2026-11-12']);
    expect(days(resolveDateRange('year', tz, now))).toEqual(['2026-01-01', '2026-11-12']);
    expect(days(resolveDateRange('all', tz, now, at('2025-10-26T12:00:00Z')))).toEqual(['2025-10-26', '2026-11-12']);
    // 03:00 UTC on the 13th is still the 12th in New York.
    expect(days(resolveDateRange('day', tz, at('2026-11-13T03:00:00Z')))).toEqual(['2026-11-12', '2026-11-12']);
    const rt = resolveDateRange('realtime', tz, now);
    expect([rt.start, rt.end, rt.realtime]).toEqual([now - 30 * 60_000, now, true]);
    const today = resolveDateRange('day', tz, now);
    expect([today.start, today.end]).toEqual([at('2026-11-12T05:00:00Z'), at('2026-11-13T05:00:00Z')]);
  });

  it('comparison ranges', () => {
    const r = resolveDateRange(['2026-11-01', '2026-11-07'], tz, now);
    expect(days(comparisonRange(r, 'previous_period', tz))).toEqual(['2026-10-25', '2026-10-31']);
    expect(days(comparisonRange(r, 'year_over_year', tz))).toEqual(['2025-11-01', '2025-11-07']);
    const month = resolveDateRange('month', tz, now);
    expect(days(comparisonRange(month, 'previous_period', tz))).toEqual(['2026-10-20', '2026-10-31']);
  });

  it('hour buckets: 23 on 2026-03-08, 25 on 2026-11-01 with both 01:00 labels', () => {
    const spring = bucketLabels(resolveDateRange(['2026-03-08', '2026-03-08'], tz, now), 'hour', tz);
    expect(spring).toHaveLength(23);
    expect(spring.slice(0, 4)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00']);
    expect(spring[22]).toBe('2026-03-08T23:00:00-04:00');
    const fall = bucketLabels(resolveDateRange(['2026-11-01', '2026-11-01'], tz, now), 'hour', tz);
    expect(fall).toHaveLength(25);
    expect(fall.slice(0, 4)).toEqual(['2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00']);
    const kolkata = bucketLabels(resolveDateRange(['2026-06-15', '2026-06-15'], IN.timezone, now), 'hour', IN.timezone);
    expect(kolkata).toHaveLength(24);
    expect([kolkata[0], kolkata[23]]).toEqual(['2026-06-15T00:00:00+05:30', '2026-06-15T23:00:00+05:30']);
  });

  it('week buckets are labelled by their Monday, month buckets by their first day', () => {
    expect(bucketLabels(resolveDateRange(['2026-10-21', '2026-11-12'], tz, now), 'week', tz)).toEqual(['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']);
    const months = bucketLabels(resolveDateRange('12mo', tz, now), 'month', tz);
    expect(months).toHaveLength(12);
    expect([months[0], months[11]]).toEqual(['2025-12-01', '2026-11-01']);
  });

  it('plain time picks the granularity from the range', () => {
    const gran = (date_range: StatsRequest['date_range']) =>
      runOracle([], NY, { date_range, metrics: ['visitors'], dimensions: ['time'] }, NOW).granularity;
    expect(['day', 'yesterday', ['2026-11-01', '2026-11-01'], '7d', '30d', 'month', '12mo', 'year', 'all', 'realtime'].map((r) => gran(r as StatsRequest['date_range'])))
      .toEqual(['hour', 'hour', 'hour', 'day', 'day', 'day', 'month', 'month', 'month', 'minute']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A hand-made day: 2026-06-10 in New York (EDT, UTC-4). Five visits, worked out below.

function ev(session: string, visitor: string, iso: string, fields: Partial<EventRow> = {}): EventRow {
  return eventRow({ site_id: 1, ts: at(iso), visitor_id: visitor, session_id: session, ...fields });
}
const google = { source: 'Google', channel: 'Organic Search', country: 'US' };
const direct = { source: '', channel: 'Direct' };
const HAND: EventRow[] = [
  // A, visitor 1, Google, US: two pages and a Signup; 120 s; not a bounce
  ev('10', '1', '2026-06-10T14:00:00Z', { ...google, pathname: '/' }),
  ev('10', '1', '2026-06-10T14:00:30Z', { ...google, type: 'engagement', pathname: '/', engaged_ms: 20_000, scroll_depth: 50 }),
  ev('10', '1', '2026-06-10T14:01:00Z', { ...google, pathname: '/pricing' }),
  ev('10', '1', '2026-06-10T14:01:10Z', { ...google, type: 'event', name: 'Signup', pathname: '/pricing', interactive: 1, props: { plan: 'pro' } }),
  ev('10', '1', '2026-06-10T14:02:00Z', { ...google, type: 'engagement', pathname: '/pricing', engaged_ms: 40_000, scroll_depth: 90 }),
  // B, visitor 2, direct, DE: one page and a non-interactive event; 40 s; a bounce
  ev('20', '2', '2026-06-10T15:00:00Z', { ...direct, country: 'DE', pathname: '/blog' }),
  ev('20', '2', '2026-06-10T15:00:05Z', { ...direct, country: 'DE', type: 'event', name: 'Video Autoplay', pathname: '/blog', interactive: 0 }),
  ev('20', '2', '2026-06-10T15:00:40Z', { ...direct, country: 'DE', type: 'engagement', pathname: '/blog', engaged_ms: 30_000, scroll_depth: 30 }),
  // C, visitor 1 again, Newsletter, US: one page and an outbound click; 20 s; not a bounce
  ev('30', '1', '2026-06-10T18:00:00Z', { source: 'Newsletter', channel: 'Email', country: 'US', pathname: '/blog' }),
  ev('30', '1', '2026-06-10T18:00:20Z', { source: 'Newsletter', channel: 'Email', country: 'US', type: 'outbound', name: 'Outbound Link: Click', pathname: '/blog', interactive: 1 }),
  // D, visitor 3, Google, US: one page, a Purchase, two pings (max scroll 100); 120 s; not a bounce
  ev('40', '3', '2026-06-10T19:00:00Z', { ...google, pathname: '/pricing' }),
  ev('40', '3', '2026-06-10T19:00:30Z', { ...google, type: 'event', name: 'Purchase', pathname: '/pricing', interactive: 1, revenue: 10.5, currency: 'USD', props: { plan: 'team' } }),
  ev('40', '3', '2026-06-10T19:01:00Z', { ...google, type: 'engagement', pathname: '/pricing', engaged_ms: 50_000, scroll_depth: 100 }),
  ev('40', '3', '2026-06-10T19:02:00Z', { ...google, type: 'engagement', pathname: '/pricing', engaged_ms: 10_000, scroll_depth: 40 }),
  // E, visitor 4, direct, FR: one pageview; 0 s; a bounce
  ev('50', '4', '2026-06-10T20:00:00Z', { ...direct, country: 'FR', pathname: '/' }),
];
const ALL = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events', 'time_on_page', 'scroll_depth', 'revenue'];
const DAY: StatsRequest['date_range'] = ['2026-06-10', '2026-06-10'];

function ask(req: Partial<StatsRequest>, events: EventRow[] = HAND) {
  const answer = runOracle(events, NY, { date_range: DAY, metrics: ALL, ...req }, NOW);
  return answer.rows.map((r) => ({ dims: r.dimensions, ...Object.fromEntries(answer.query.metrics.map((m, i) => [m, r.metrics[i]])) }));
}

describe('metrics on the hand-made day', () => {
  it('totals', () => {
    expect(ask({})).toEqual([{
      dims: [], visitors: 4, visits: 5, pageviews: 6, views_per_visit: 1.2, bounce_rate: 40, visit_duration: 60, events: 4, // Signup, Video Autoplay, the outbound click, Purchase
      time_on_page: 25, scroll_depth: 68, revenue: 10.5, // scroll: (50 + 90 + 30 + 100) / 4 = 67.5
    }]);
  });

  it('a visit filter keeps whole visits', () => {
    expect(ask({ filters: [['is', 'country', ['US']]] })).toEqual([{
      dims: [], visitors: 2, visits: 3, pageviews: 4, views_per_visit: 1.33, bounce_rate: 0, visit_duration: 87, events: 3,
      time_on_page: 30, scroll_depth: 80, revenue: 10.5, // 120 s engaged / 4 pageviews; scroll (50 + 90 + 100) / 3
    }]);
  });

  it('an event filter: matching events for event metrics, visits with a match for visit metrics', () => {
    // A page filter looks at pageviews and engagement pings: B's pageview and ping, C's pageview.
    expect(ask({ filters: ['contains', 'page', ['/BLOG']] })).toEqual([{
      dims: [], visitors: 2, visits: 2, pageviews: 2, views_per_visit: 1, bounce_rate: 50, visit_duration: 30, events: 0,
      time_on_page: 15, scroll_depth: 30, revenue: 0,
    }]);
    // Negation is per event, and custom events and clicks are never on a page: they pass is_not, so B and C stay.
    expect(ask({ filters: ['is_not', 'page', ['/blog']], metrics: ['visits', 'pageviews', 'events'] })).toEqual([{ dims: [], visits: 5, pageviews: 4, events: 4 }]);
    expect(ask({ filters: ['matches', 'page', ['^/pri']], metrics: ['visits', 'pageviews', 'events', 'revenue'] })).toEqual([{ dims: [], visits: 2, pageviews: 2, events: 0, revenue: 0 }]);
    expect(ask({ filters: ['is', 'event', ['Signup', 'Purchase']], metrics: ['visits', 'pageviews', 'events', 'revenue'] })).toEqual([{ dims: [], visits: 2, pageviews: 0, events: 2, revenue: 10.5 }]);
  });

  it('and / or / not', () => {
    expect(ask({ filters: ['not', ['is', 'country', ['US']]], metrics: ['visitors', 'visits'] })).toEqual([{ dims: [], visitors: 2, visits: 2 }]);
    // FR visits, or pageviews and pings on /blog pages: E's pageview, B's pageview and ping, C's pageview.
    expect(ask({ filters: ['or', [['is', 'country', ['FR']], ['contains', 'page', ['/blog']]]], metrics: ['visits', 'pageviews', 'events'] }))
      .toEqual([{ dims: [], visits: 3, pageviews: 3, events: 0 }]);
    expect(ask({ filters: ['and', [['is', 'source', ['Google']], ['is', 'page', ['/pricing']]]], metrics: ['visitors', 'pageviews', 'time_on_page'] }))
      .toEqual([{ dims: [], visitors: 2, pageviews: 2, time_on_page: 50 }]);
  });

  it('conversion rate: visitors with the goal / visitors without the goal filter', () => {
    expect(ask({ metrics: ['visitors', 'conversion_rate'], filters: [['is', 'event', ['Signup']]] })).toEqual([{ dims: [], visitors: 1, conversion_rate: 25 }]);
    expect(ask({ metrics: ['conversion_rate'], filters: [['is', 'page', ['/pricing']]] })).toEqual([{ dims: [], conversion_rate: 50 }]);
    expect(ask({ metrics: ['conversion_rate'], filters: [['is', 'country', ['US']], ['is', 'event', ['Signup']]] })).toEqual([{ dims: [], conversion_rate: 50 }]);
    expect(ask({ metrics: ['conversion_rate'], dimensions: ['source'], filters: [['is', 'event', ['Purchase']]] })).toEqual([
      { dims: ['Google'], conversion_rate: 50 },
      { dims: [''], conversion_rate: 0 },
      { dims: ['Newsletter'], conversion_rate: 0 },
    ]);
  });

  it('breakdown by a visit dimension, by page, by entry and exit page, by event', () => {
    expect(ask({ metrics: ['visitors', 'visits', 'bounce_rate'], dimensions: ['source'] })).toEqual([
      { dims: ['Google'], visitors: 2, visits: 2, bounce_rate: 0 },
      { dims: [''], visitors: 2, visits: 2, bounce_rate: 100 },
      { dims: ['Newsletter'], visitors: 1, visits: 1, bounce_rate: 0 },
    ]);
    expect(ask({ metrics: ['pageviews', 'visitors', 'visits', 'bounce_rate', 'time_on_page', 'scroll_depth', 'visit_duration'], dimensions: ['page'], order_by: [['time_on_page', 'desc']] })).toEqual([
      { dims: ['/pricing'], pageviews: 2, visitors: 2, visits: 2, bounce_rate: 0, time_on_page: 50, scroll_depth: 95, visit_duration: 120 },
      { dims: ['/blog'], pageviews: 2, visitors: 2, visits: 2, bounce_rate: 50, time_on_page: 15, scroll_depth: 30, visit_duration: 30 },
      { dims: ['/'], pageviews: 2, visitors: 2, visits: 2, bounce_rate: 50, time_on_page: 10, scroll_depth: 50, visit_duration: 60 },
    ]);
    expect(ask({ metrics: ['visits', 'pageviews'], dimensions: ['entry_page'], order_by: [['pageviews', 'desc']] })).toEqual([
      { dims: ['/'], visits: 2, pageviews: 3 },
      { dims: ['/blog'], visits: 2, pageviews: 2 },
      { dims: ['/pricing'], visits: 1, pageviews: 1 },
    ]);
    expect(ask({ metrics: ['visits'], dimensions: ['exit_page'], order_by: [['visits', 'desc']] }).find((r) => r.dims[0] === '/pricing')).toEqual({ dims: ['/pricing'], visits: 2 });
    const byEvent = ask({ metrics: ['events', 'visitors', 'revenue'], dimensions: ['event'], order_by: [['revenue', 'desc']] });
    expect(byEvent[0]).toEqual({ dims: ['Purchase'], events: 1, visitors: 1, revenue: 10.5 });
    expect(byEvent.slice(1).sort((a, b) => String(a.dims[0]).localeCompare(String(b.dims[0])))).toEqual([
      { dims: ['Outbound Link: Click'], events: 1, visitors: 1, revenue: 0 },
      { dims: ['Signup'], events: 1, visitors: 1, revenue: 0 },
      { dims: ['Video Autoplay'], events: 1, visitors: 1, revenue: 0 },
    ]);
    expect(ask({ metrics: ['events'], dimensions: ['event:props:plan'] }).map((r) => r.dims[0]).sort()).toEqual(['pro', 'team']);
  });

  it('hour buckets: visits in the hour they start, events in their own hour', () => {
    const crossing = [
      ev('60', '6', '2026-06-10T14:59:00Z', { pathname: '/a' }), // 10:59 EDT
      ev('60', '6', '2026-06-10T15:01:00Z', { pathname: '/b' }), // 11:01 EDT
    ];
    const rows = ask({ metrics: ['visitors', 'visits', 'pageviews'], dimensions: ['time:hour'] }, crossing);
    expect(rows).toHaveLength(24);
    expect(rows[10]).toEqual({ dims: ['2026-06-10T10:00:00-04:00'], visitors: 1, visits: 1, pageviews: 1 });
    expect(rows[11]).toEqual({ dims: ['2026-06-10T11:00:00-04:00'], visitors: 1, visits: 0, pageviews: 1 });
    expect(rows.reduce((s, r) => s + Number((r as Record<string, unknown>).visits), 0)).toBe(1);
  });

  it('a visit cut by the range start is the part inside the range', () => {
    const cut = [
      ev('70', '7', '2026-06-10T03:50:00Z', { pathname: '/before' }), // 23:50 EDT on the 9th
      ev('70', '7', '2026-06-10T04:05:00Z', { pathname: '/after' }), // 00:05 EDT on the 10th
      ev('70', '7', '2026-06-10T04:06:00Z', { type: 'engagement', pathname: '/after', engaged_ms: 50_000 }),
    ];
    expect(ask({ metrics: ['visits', 'pageviews', 'bounce_rate', 'visit_duration'], dimensions: ['entry_page'] }, cut)).toEqual([
      { dims: ['/after'], visits: 1, pageviews: 1, bounce_rate: 100, visit_duration: 60 },
    ]);
    expect(ask({ date_range: ['2026-06-09', '2026-06-10'], metrics: ['visits', 'pageviews', 'bounce_rate', 'visit_duration'], dimensions: ['time:day'] }, cut)).toEqual([
      { dims: ['2026-06-09'], visits: 1, pageviews: 1, bounce_rate: 0, visit_duration: 960 },
      { dims: ['2026-06-10'], visits: 0, pageviews: 1, bounce_rate: 0, visit_duration: 0 },
    ]);
  });

  it('order, limit, offset, total rows', () => {
    const answer = runOracle(HAND, NY, { date_range: DAY, metrics: ['pageviews'], dimensions: ['page'], order_by: [['pageviews', 'asc']], limit: 1, offset: 1 }, NOW);
    expect(answer.totalRows).toBe(3);
    expect(answer.rows).toHaveLength(1);
  });

  it('comparison changes: percent, null from 0, bounce rate in points', () => {
    expect(changeOf('visitors', 10, 8)).toBe(25);
    expect(changeOf('visitors', 8, 0)).toBeNull();
    expect(changeOf('visitors', 0, 8)).toBe(-100);
    expect(changeOf('bounce_rate', 40, 50)).toBe(-10);
    // No visit on one side: a rate over visits has nothing to compare with.
    expect(changeOf('bounce_rate', 40, 0, { now: 5, before: 0 })).toBeNull();
    expect(changeOf('visit_duration', 0, 30, { now: 0, before: 2 })).toBeNull();
    expect(changeOf('visitors', 0, 8, { now: 0, before: 2 })).toBe(-100);
    const moved = HAND.map((e) => ({ ...e, ts: e.ts - 7 * 86_400_000 })).filter((e) => e.session_id !== '50');
    const answer = runOracle([...HAND, ...moved], NY, { date_range: DAY, metrics: ['visits', 'bounce_rate'], compare: 'previous_period' }, NOW);
    // This day: 5 visits, 40 %; a week earlier nothing (previous_period of one day is the day before).
    expect(answer.rows[0]!.comparison!.metrics).toEqual([0, 0]);
    const weekly = runOracle([...HAND, ...moved], NY, { date_range: ['2026-06-04', '2026-06-10'], metrics: ['visits', 'bounce_rate'], compare: 'previous_period' }, NOW);
    expect(weekly.rows[0]!.metrics).toEqual([5, 40]);
    expect(weekly.rows[0]!.comparison).toMatchObject({ metrics: [4, 25], change: [25, 15] });
  });

  it('refuses what the contract refuses', () => {
    const bad: unknown[] = [
      { date_range: DAY, metrics: ['nope'] },
      { date_range: DAY, metrics: [] },
      { date_range: DAY, metrics: ['visitors'], dimensions: ['planet'] },
      { date_range: DAY, metrics: ['visitors'], dimensions: ['event:props:'] },
      { date_range: '8d', metrics: ['visitors'] },
      { date_range: ['2026-02-30', '2026-03-01'], metrics: ['visitors'] },
      { date_range: ['2026-03-05', '2026-03-01'], metrics: ['visitors'] },
      { date_range: DAY, metrics: ['conversion_rate'] },
      { date_range: DAY, metrics: ['conversion_rate'], filters: [['is_not', 'event', ['Signup']]] },
      { date_range: DAY, metrics: ['visitors'], filters: [['like', 'page', ['/']]] },
      { date_range: DAY, metrics: ['visitors'], limit: 10_001 },
    ];
    for (const req of bad) expect(() => runOracle(HAND, NY, req, NOW), JSON.stringify(req)).toThrow(OracleRequestError);
  });
});

describe('the generated data set', () => {
  const data = generateDataset();

  it('is deterministic and a few thousand events', () => {
    expect(generateDataset().rows).toEqual(data.rows);
    expect(data.rows.length).toBeGreaterThan(3000);
    expect(data.rows.length).toBeLessThan(15000);
  });

  it('looks like ingestion: visit attributes constant per session, gaps under 30 min inside, 30 min or more between', () => {
    const visitAttrs = ['source', 'channel', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'country', 'region', 'city', 'browser', 'os', 'device', 'screen', 'language'] as const;
    const sessions = new Map<string, EventRow[]>();
    for (const e of data.rows) sessions.set(e.session_id, [...(sessions.get(e.session_id) ?? []), e]);
    const byVisitor = new Map<string, EventRow[][]>();
    for (const events of sessions.values()) {
      events.sort((a, b) => a.ts - b.ts);
      for (const e of events) for (const a of visitAttrs) expect(e[a]).toBe(events[0]![a]);
      for (let i = 1; i < events.length; i++) expect(events[i]!.ts - events[i - 1]!.ts).toBeLessThan(30 * 60_000);
      expect(new Set(events.map((e) => e.visitor_id)).size).toBe(1);
      byVisitor.set(events[0]!.visitor_id, [...(byVisitor.get(events[0]!.visitor_id) ?? []), events]);
    }
    let multi = 0;
    for (const list of byVisitor.values()) {
      if (list.length > 1) multi++;
      list.sort((a, b) => a[0]!.ts - b[0]!.ts);
      for (let i = 1; i < list.length; i++) expect(list[i]![0]!.ts - list[i - 1]![list[i - 1]!.length - 1]!.ts).toBeGreaterThanOrEqual(30 * 60_000);
    }
    expect(multi).toBeGreaterThan(50);
    for (const fx of FIXTURES) expect(data.bySite.get(fx.site.id)!.every((e) => e.ts < fx.now.getTime())).toBe(true);
  });

  it('has every case the tests rely on', () => {
    const rows = data.rows;
    const sessions = new Map<string, EventRow[]>();
    for (const e of rows) sessions.set(e.session_id, [...(sessions.get(e.session_id) ?? []), e]);
    const list = [...sessions.values()];
    const pv = (s: EventRow[]) => s.filter((e) => e.type === 'pageview').length;
    const has = (s: EventRow[], f: (e: EventRow) => boolean) => s.some(f);
    expect(list.filter((s) => pv(s) === 1 && !has(s, (e) => e.interactive === 1)).length).toBeGreaterThan(100); // bounces
    expect(list.filter((s) => pv(s) === 1 && has(s, (e) => e.type === 'event' && e.interactive === 0) && !has(s, (e) => e.interactive === 1)).length).toBeGreaterThan(10);
    expect(list.filter((s) => pv(s) === 1 && has(s, (e) => e.type === 'event' && e.interactive === 1)).length).toBeGreaterThan(10);
    expect(list.filter((s) => pv(s) === 1 && has(s, (e) => e.type === 'outbound' || e.type === 'download')).length).toBeGreaterThan(10);
    expect(list.filter((s) => pv(s) >= 3).length).toBeGreaterThan(100);
    const ny = FIXTURES[0].site.timezone;
    const crossesMidnight = (s: EventRow[]) => new Set(s.map((e) => new Intl.DateTimeFormat('en-CA', { timeZone: ny }).format(e.ts))).size > 1;
    expect(list.filter((s) => s[0]!.site_id === 1 && crossesMidnight(s)).length).toBeGreaterThan(10);
    expect(new Set(rows.filter((e) => e.utm_medium === 'email').map((e) => e.utm_source))).toEqual(new Set(['newsletter', 'Newsletter', 'NEWSLETTER']));
    expect(new Set(rows.filter((e) => e.revenue > 0).map((e) => e.currency))).toEqual(new Set(['USD', 'EUR', 'INR']));
    expect(rows.some((e) => BigInt(e.visitor_id) > 2n ** 53n)).toBe(true);
    // Pageviews in both 01:00 hours of 2026-11-01 in New York.
    const labels = new Set(rows.filter((e) => e.site_id === 1 && e.type === 'pageview').map((e) => isoWithOffset(e.ts, ny).slice(0, 13) + isoWithOffset(e.ts, ny).slice(19)));
    expect(labels.has('2026-11-01T01-04:00') && labels.has('2026-11-01T01-05:00')).toBe(true);
  });
});
