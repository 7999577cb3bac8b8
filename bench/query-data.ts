// Synthetic analytics data for bench:query, generated inside ClickHouse (INSERT ... SELECT FROM numbers): no JS row objects.
//
// Shape: sessions of 1–10 events (geometric, mean ≈ 3.3), ~3 sessions per visitor, visitor ids rotating daily as the
// real ones do (all sessions of a visitor fall on its day). Visit attributes are stamped on every event of a session:
// source/channel/UTM from the session number, geo/device/browser/OS/screen/language from the visitor number, all by
// cityHash64, so they are consistent. Categorical values are drawn through 65,536-slot lookup tables built here from
// weights (Zipf-like for pages, sources and countries), so the skew is explicit and the SQL stays O(1) per row.
import type { EventStore } from '../packages/server/src/stores/events/event-store.js';
import { channelOf, referrerHostOf, sourceOf } from '../packages/server/src/ingest/enrich/index.js';
import { SOURCE_ALIASES } from '../packages/server/src/ingest/enrich/source-aliases.js';

export interface LoadOptions {
  siteId: number;
  events: number;
  days: number;
  /** The instant the data ends just before ("now" at load time). */
  now: Date;
  onProgress?: (inserted: number) => void;
}

export interface Distinct {
  paths: number;
  sources: number;
  countries: number;
}

const SLOTS = 65_536;
/** P(a session has more than m events) = Q^m, capped at 10 events. */
const Q = 0.71;
const MAX_EVENTS = 10;
const SESSIONS_PER_VISITOR = 3;
const HOSTNAME = 'bench.example';

/** A lookup table of SLOTS indexes into `weights`, each index appearing in proportion to its weight (at least once). */
export function slotTable(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((w / total) * SLOTS)));
  let excess = counts.reduce((a, b) => a + b, 0) - SLOTS;
  // Trim the largest entries (or pad the first) so the table has exactly SLOTS slots.
  for (let i = 0; excess !== 0; i = (i + 1) % counts.length) {
    if (excess > 0 && counts[i]! > 1 && counts[i]! >= counts[0]! / 4) (counts[i]!--, excess--);
    else if (excess < 0) (counts[0]!++, excess++);
  }
  const table: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) table.push(i);
  });
  return table;
}

const zipf = (n: number, s: number): number[] => Array.from({ length: n }, (_, r) => 1 / (r + 1) ** s);

// ---- pages: ~2,000 paths, Zipf(1.1) popularity ----
const TOP_PATHS = [
  '/', '/pricing', '/blog', '/docs', '/features', '/about', '/signup', '/login', '/contact', '/docs/getting-started',
  '/blog/why-cookieless', '/features/replay', '/changelog', '/integrations', '/docs/api', '/careers', '/privacy',
  '/terms', '/café', '/produkte/übersicht',
];
const SECTIONS = ['blog', 'docs', 'help', 'integrations', 'changelog', 'customers', 'compare', 'guides'];
const WORDS = ['setup', 'tracking', 'goals', 'funnels', 'privacy', 'retention', 'events', 'export', 'teams', 'api'];
export const PATHS = Array.from({ length: 2000 }, (_, r) =>
  r < TOP_PATHS.length ? TOP_PATHS[r]! : `/${SECTIONS[r % SECTIONS.length]}/${WORDS[(r >> 3) % WORDS.length]}-${r}`,
);
export const POPULAR_PATH = PATHS[1]!; // '/pricing'

// ---- traffic sources: ~200, Direct and Google on top, a long tail of known services and referring blogs ----
interface Traffic {
  referrer?: string;
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  clickId?: string;
  weight: number;
}
const HEAD_TRAFFIC: Traffic[] = [
  { weight: 30 }, // Direct
  { referrer: 'https://www.google.com/', weight: 22 },
  { referrer: 'https://www.google.com/', clickId: 'gclid', weight: 4 },
  { referrer: 'https://www.bing.com/', weight: 3 },
  { referrer: 'https://duckduckgo.com/', weight: 2 },
  { referrer: 'https://news.ycombinator.com/', weight: 2.5 },
  { referrer: 'https://www.reddit.com/r/webdev/', weight: 2 },
  { referrer: 'https://t.co/x1', weight: 2 },
  { referrer: 'https://chatgpt.com/', weight: 2 },
  { utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'weekly', weight: 2 },
  { referrer: 'https://www.linkedin.com/', weight: 1.5 },
  { referrer: 'https://www.facebook.com/', weight: 1.5 },
  { referrer: 'https://github.com/', weight: 1.5 },
  { referrer: 'https://www.youtube.com/', weight: 0.8 },
  { utmSource: 'facebook', utmMedium: 'paid_social', utmCampaign: 'spring', weight: 0.8 },
];

interface Source {
  referrer: string;
  referrer_host: string;
  source: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  click_id_param: string;
}

function trafficRows(): { rows: Source[]; weights: number[] } {
  const list = [...HEAD_TRAFFIC];
  const headHosts = new Set(HEAD_TRAFFIC.map((t) => (t.referrer ? referrerHostOf(t.referrer).replace(/^www\./, '') : '')));
  let tail = 0;
  for (const alias of SOURCE_ALIASES) {
    const host = alias.hosts[0]?.replace(/\.\*$/, '.com');
    if (!host || headHosts.has(host) || list.length >= 160) continue;
    list.push({ referrer: `https://${host}/`, weight: 4 / (tail++ + 4) });
  }
  for (let i = 0; list.length < 200; i++) list.push({ referrer: `https://blog-${i}.example.org/post`, weight: 0.05 });
  const rows = list.map((t): Source => {
    const referrer = t.referrer ?? '';
    const referrerHost = referrerHostOf(referrer);
    const source = sourceOf({ referrer, utmSource: t.utmSource, clickId: t.clickId, siteHosts: [HOSTNAME] });
    return {
      referrer,
      referrer_host: referrerHost,
      source,
      channel: channelOf({ source, referrerHost, utmMedium: t.utmMedium, utmSource: t.utmSource, utmCampaign: t.utmCampaign, clickId: t.clickId }),
      utm_source: t.utmSource ?? '',
      utm_medium: t.utmMedium ?? '',
      utm_campaign: t.utmCampaign ?? '',
      click_id_param: t.clickId ?? '',
    };
  });
  return { rows, weights: list.map((t) => t.weight) };
}

// ---- countries: 150, skewed; the language follows the country for the big ones ----
const COUNTRIES = (
  'US DE GB IN FR CA BR NL ES IT AU PL JP SE CH AT BE MX TR UA CZ DK NO FI PT IE IL SG KR ID VN PH TH MY PK BD NG EG ' +
  'ZA KE AR CL CO PE VE RO HU GR BG RS HR SK SI LT LV EE BY KZ UZ AZ GE AM MD AL MK BA ME IS LU MT CY NZ HK TW CN AE ' +
  'SA QA KW BH OM JO LB IQ IR MA DZ TN GH CI SN CM ET TZ UG RW ZW ZM MZ AO NA BW MU LK NP MM KH LA MN EC BO PY UY CR ' +
  'PA GT HN SV NI DO CU JM TT PR BS BB HT KG TJ TM AF SD LY YE SY PS MG ML BF NE TD GA CG CD BJ TG SL LR GN GM'
).split(' ');
const LANGUAGE_OF: Record<string, string> = {
  US: 'en-US', DE: 'de-DE', GB: 'en-GB', IN: 'en-IN', FR: 'fr-FR', CA: 'en-CA', BR: 'pt-BR', NL: 'nl-NL', ES: 'es-ES',
  IT: 'it-IT', AU: 'en-AU', PL: 'pl-PL', JP: 'ja-JP', SE: 'sv-SE', CH: 'de-CH', AT: 'de-AT', BE: 'nl-BE', MX: 'es-MX',
  TR: 'tr-TR', UA: 'uk-UA', CZ: 'cs-CZ', DK: 'da-DK', NO: 'nb-NO', FI: 'fi-FI', PT: 'pt-PT', KR: 'ko-KR', CN: 'zh-CN',
};

// ---- device profiles: device class, OS, browser and their versions, screen sizes ----
interface Profile {
  device: string;
  os: string;
  os_version: string;
  browser: string;
  browser_version: string;
  screens: string[];
  weight: number;
}
const SCREENS: Record<string, string[]> = {
  mobile: ['390x844', '393x873', '414x896', '360x800', '430x932'],
  tablet: ['768x1024', '820x1180', '800x1280', '1024x1366'],
  laptop: ['1366x768', '1280x800', '1440x900', '1536x864'],
  desktop: ['1920x1080', '2560x1440', '1680x1050', '3840x2160'],
};
function profiles(): Profile[] {
  const tree: [device: string, w: number, oses: [os: string, w: number, versions: string[], browsers: [string, number, string[]][]][]][] = [
    ['mobile', 46, [
      ['iOS', 45, ['18', '17'], [['Safari', 85, ['18', '17']], ['Chrome', 15, ['131', '130']]]],
      ['Android', 55, ['15', '14', '13'], [['Chrome', 75, ['131', '130', '129']], ['Samsung Internet', 15, ['26', '25']], ['Firefox', 5, ['133']], ['Opera', 5, ['86']]]],
    ]],
    ['tablet', 6, [
      ['iOS', 60, ['18', '17'], [['Safari', 90, ['18', '17']], ['Chrome', 10, ['131']]]],
      ['Android', 40, ['14', '13'], [['Chrome', 100, ['131', '130']]]],
    ]],
    ['laptop', 22, [
      ['Windows', 55, ['10', '11'], [['Chrome', 65, ['131', '130']], ['Edge', 20, ['131']], ['Firefox', 12, ['133', '132']], ['Opera', 3, ['115']]]],
      ['macOS', 35, ['15', '14'], [['Chrome', 50, ['131', '130']], ['Safari', 40, ['18', '17']], ['Firefox', 10, ['133']]]],
      ['Linux', 5, [''], [['Chrome', 50, ['131']], ['Firefox', 50, ['133']]]],
      ['Chrome OS', 5, [''], [['Chrome', 100, ['131']]]],
    ]],
    ['desktop', 26, [
      ['Windows', 65, ['10', '11'], [['Chrome', 65, ['131', '130']], ['Edge', 20, ['131']], ['Firefox', 12, ['133', '132']], ['Opera', 3, ['115']]]],
      ['macOS', 27, ['15', '14'], [['Chrome', 50, ['131', '130']], ['Safari', 40, ['18', '17']], ['Firefox', 10, ['133']]]],
      ['Linux', 8, [''], [['Chrome', 50, ['131']], ['Firefox', 50, ['133']]]],
    ]],
  ];
  const out: Profile[] = [];
  for (const [device, dw, oses] of tree) {
    const osTotal = oses.reduce((a, o) => a + o[1], 0);
    for (const [os, ow, osVersions, browsers] of oses) {
      const bTotal = browsers.reduce((a, b) => a + b[1], 0);
      for (const osVersion of osVersions)
        for (const [browser, bw, bVersions] of browsers)
          for (const browserVersion of bVersions)
            out.push({
              device, os, os_version: osVersion, browser, browser_version: browserVersion, screens: SCREENS[device]!,
              weight: (dw * (ow / osTotal) * (bw / bTotal)) / osVersions.length / bVersions.length,
            });
    }
  }
  return out;
}

// ---- custom events ----
const EVENT_NAMES: [name: string, weight: number][] = [
  ['Play video', 20], ['Add to cart', 15], ['Video progress', 15], ['Search', 14], ['Signup', 10],
  ['Newsletter subscribe', 8], ['Purchase', 6], ['Share', 5], ['Contact form', 4], ['Start trial', 3],
];

/** Expected events per session for the capped geometric length. */
const MEAN_EVENTS = (1 - Q ** MAX_EVENTS) / (1 - Q);

/** cityHash64 of the parts, as SQL. Salts keep the draws independent. */
const h = (...parts: (string | number)[]): string => `cityHash64(${parts.join(', ')})`;
/** A uniform draw in (0, 1), as SQL. */
const u = (...parts: (string | number)[]): string => `((${h(...parts)} % 1000000 + 0.5) / 1000000)`;
/** A 0-based index drawn through a slot table, as SQL. */
const pick = (table: string, ...parts: (string | number)[]): string => `${table}[1 + ${h(...parts)} % ${SLOTS}]`;

/**
 * Inserts `events` events for one site over the `days` days ending with `now`'s UTC day, in a few INSERT ... SELECT
 * statements over ranges of session numbers. Returns the number of distinct paths, sources and countries used.
 */
export async function loadEvents(store: EventStore, o: LoadOptions): Promise<Distinct> {
  const traffic = trafficRows();
  const profs = profiles();
  const dayMs = 86_400_000;
  const today = Math.floor(o.now.getTime() / dayMs) * dayMs;
  const day0 = today - (o.days - 1) * dayMs;
  // Sessions on today start before now − 1 h (sessions last under 45 min), so nothing lies in the future.
  const todaySeconds = Math.max(0, Math.floor((o.now.getTime() - today) / 1000) - 3600);
  // First events are pageviews; the others are drawn so the totals come out 65/15/15/3/2 %.
  const rest = 1 - 1 / MEAN_EVENTS;
  const share = { pageview: (0.65 - 1 / MEAN_EVENTS) / rest, engagement: 0.15 / rest, event: 0.15 / rest, outbound: 0.03 / rest };
  const t1 = Math.round(share.pageview * 10_000);
  const t2 = t1 + Math.round(share.engagement * 10_000);
  const t3 = t2 + Math.round(share.event * 10_000);
  const t4 = t3 + Math.round(share.outbound * 10_000);

  const visitors = Math.max(1, Math.round(o.events / MEAN_EVENTS / SESSIONS_PER_VISITOR));
  const sessionEvents = `least(${MAX_EVENTS}, 1 + toUInt32(floor(log(${u('s', 1)}) / log(${Q}))))`;
  // How many sessions make exactly `events` events: the last one is cut short.
  const [cut] = await store.query<{ sessions: string; before: string }>(
    `SELECT s + 1 AS sessions, toString(c - k) AS before FROM (
       SELECT number AS s, ${sessionEvents} AS k, sum(k) OVER (ORDER BY s ROWS UNBOUNDED PRECEDING) AS c
       FROM numbers(${Math.ceil((o.events / MEAN_EVENTS) * 1.2) + 100})
     ) WHERE c >= {n:UInt64} ORDER BY s LIMIT 1`,
    { n: o.events },
  );
  if (!cut) throw new Error('not enough sessions generated; raise the estimate');
  const sessions = Number(cut.sessions);
  const lastSessionEvents = o.events - Number(cut.before);

  const params = {
    site: o.siteId,
    path_slots: slotTable(zipf(PATHS.length, 1.1)),
    paths: PATHS,
    src_slots: slotTable(traffic.weights),
    src_referrer: traffic.rows.map((r) => r.referrer),
    src_referrer_host: traffic.rows.map((r) => r.referrer_host),
    src_source: traffic.rows.map((r) => r.source),
    src_channel: traffic.rows.map((r) => r.channel),
    src_utm_source: traffic.rows.map((r) => r.utm_source),
    src_utm_medium: traffic.rows.map((r) => r.utm_medium),
    src_utm_campaign: traffic.rows.map((r) => r.utm_campaign),
    src_click: traffic.rows.map((r) => r.click_id_param),
    country_slots: slotTable(zipf(COUNTRIES.length, 1.3)),
    countries: COUNTRIES,
    languages: COUNTRIES.map((c) => LANGUAGE_OF[c] ?? 'en-US'),
    prof_slots: slotTable(profs.map((p) => p.weight)),
    prof_device: profs.map((p) => p.device),
    prof_os: profs.map((p) => p.os),
    prof_os_version: profs.map((p) => p.os_version),
    prof_browser: profs.map((p) => p.browser),
    prof_browser_version: profs.map((p) => p.browser_version),
    prof_screens: profs.map((p) => p.screens.join(',')),
    ev_slots: slotTable(EVENT_NAMES.map((e) => e[1])),
    ev_names: EVENT_NAMES.map((e) => e[0]),
  };

  // Per session (inner query): visitor, start, length, event types, paths (non-pageviews carry the last page), offsets.
  // Per event (outer query): everything else. `s` is the session number, `v` the visitor number, `j` 1-based.
  const sql = `
    INSERT INTO events (site_id, ts, type, name, visitor_id, session_id, user_id, hostname, pathname, query, title,
      referrer, referrer_host, source, channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
      click_id_param, country, region, city, browser, browser_version, os, os_version, device, screen, language,
      props, revenue, currency, interactive, engaged_ms, scroll_depth)
    WITH
      {ev_slots:Array(UInt16)} AS ev_slots,
      {ev_names:Array(String)}[1 + ${pick('ev_slots', 's', 'j', 68)}] AS ev_name
    SELECT
      {site:UInt32} AS site_id,
      fromUnixTimestamp64Milli(toInt64(start_ms + offsets[j]), 'UTC') AS ts,
      types[j] AS type,
      multiIf(type = 'event', ev_name, type = 'outbound', 'Outbound Link: Click', type = 'download', 'File Download', '') AS name,
      cityHash64({site:UInt32}, 'visitor', v) AS visitor_id,
      cityHash64({site:UInt32}, 'session', s) AS session_id,
      '' AS user_id,
      '${HOSTNAME}' AS hostname,
      page_of[j] AS pathname,
      '' AS query,
      if(type = 'pageview', concat(pathname, ' · Bench'), '') AS title,
      {src_referrer:Array(String)}[src] AS referrer,
      {src_referrer_host:Array(String)}[src] AS referrer_host,
      {src_source:Array(String)}[src] AS source,
      {src_channel:Array(String)}[src] AS channel,
      {src_utm_source:Array(String)}[src] AS utm_source,
      {src_utm_medium:Array(String)}[src] AS utm_medium,
      if(utm_medium = '', '', concat({src_utm_campaign:Array(String)}[src], '-', toString(${h('s', 40)} % 12))) AS utm_campaign,
      '' AS utm_term,
      '' AS utm_content,
      {src_click:Array(String)}[src] AS click_id_param,
      {countries:Array(String)}[country_i] AS country,
      concat(country, ' region ', toString(1 + ${h('v', 50)} % 12)) AS region,
      concat(country, ' city ', toString(1 + toUInt32(floor(40 * pow(${u('v', 51)}, 2))))) AS city,
      {prof_browser:Array(String)}[prof] AS browser,
      {prof_browser_version:Array(String)}[prof] AS browser_version,
      {prof_os:Array(String)}[prof] AS os,
      {prof_os_version:Array(String)}[prof] AS os_version,
      {prof_device:Array(String)}[prof] AS device,
      arrayElement(splitByChar(',', {prof_screens:Array(String)}[prof]), 1 + ${h('v', 52)} % 4) AS screen,
      if(${h('v', 53)} % 100 < 15, 'en-US', {languages:Array(String)}[country_i]) AS language,
      multiIf(
        type = 'event', map('plan', ['free', 'pro', 'team'][1 + ${h('s', 'j', 60)} % 3], 'variant', ['a', 'b'][1 + ${h('s', 'j', 61)} % 2]),
        type = 'outbound', map('url', concat('https://partner-', toString(${h('s', 'j', 62)} % 40), '.example/')),
        type = 'download', map('url', concat('https://${HOSTNAME}/files/', ['guide.pdf', 'app.dmg', 'setup.exe', 'report.csv'][1 + ${h('s', 'j', 63)} % 4])),
        CAST(map(), 'Map(String, String)')) AS props,
      if(ev_name = 'Purchase' AND type = 'event', toDecimal64(${h('s', 'j', 64)} % 49000 + 1000, 4) / 100, toDecimal64(0, 4)) AS revenue,
      if(revenue > 0, if(${h('s', 65)} % 5 = 0, 'USD', 'EUR'), '') AS currency,
      toUInt8(type IN ('outbound', 'download') OR (type = 'event' AND ev_name != 'Video progress')) AS interactive,
      if(type = 'engagement', toUInt32(1000 + ${h('s', 'j', 66)} % 180000), 0) AS engaged_ms,
      if(type = 'engagement', toUInt8(${h('s', 'j', 67)} % 101), 0) AS scroll_depth
    FROM (
      WITH
        {path_slots:Array(UInt16)} AS path_slots, {paths:Array(String)} AS paths,
        {src_slots:Array(UInt16)} AS src_slots, {country_slots:Array(UInt16)} AS country_slots,
        {prof_slots:Array(UInt16)} AS prof_slots
      SELECT
        number AS s,
        ${h('s', 2)} % ${visitors} AS v,
        1 + ${pick('src_slots', 's', 3)} AS src,
        1 + ${pick('country_slots', 'v', 4)} AS country_i,
        1 + ${pick('prof_slots', 'v', 5)} AS prof,
        if(s = ${sessions - 1}, ${lastSessionEvents}, ${sessionEvents}) AS k,
        -- the visitor's day: more traffic lately, less at weekends
        toUInt32(floor(${o.days} * pow(${u('v', 6)}, 0.85))) AS d0,
        toDayOfWeek(toDate('${new Date(day0).toISOString().slice(0, 10)}') + d0) AS dow,
        if(dow >= 6 AND ${h('v', 7)} % 100 < 35, greatest(0, toInt32(d0) - (dow - 5) - toInt32(${h('v', 8)} % 4)), d0) AS d1,
        if(d1 = ${o.days - 1} AND ${todaySeconds} = 0, d1 - 1, d1) AS d,
        -- time of day: triangular around 14:00 UTC; on today only up to an hour ago
        ((${h('s', 9)} % 86400 + ${h('s', 10)} % 86400) / 2 + 7200) % 86400 AS tod0,
        if(d = ${o.days - 1}, tod0 % greatest(1, ${todaySeconds}), tod0) AS tod,
        ${day0} + toUInt64(d) * 86400000 + toUInt64(tod) * 1000 + ${h('s', 11)} % 1000 AS start_ms,
        arrayMap(i -> if(i = 1, 'pageview', multiIf(
          ${h('s', 'i', 12)} % 10000 < ${t1}, 'pageview',
          ${h('s', 'i', 12)} % 10000 < ${t2}, 'engagement',
          ${h('s', 'i', 12)} % 10000 < ${t3}, 'event',
          ${h('s', 'i', 12)} % 10000 < ${t4}, 'outbound', 'download')), range(1, k + 1)) AS types,
        arrayFill(p -> p != '', arrayMap((i, t) -> if(t = 'pageview', paths[1 + ${pick('path_slots', 's', 'i', 13)}], ''), range(1, k + 1), types)) AS page_of,
        -- gaps of 2 s to 5 min, mostly short
        arrayCumSum(arrayMap(i -> if(i = 1, 0, 2000 + toUInt64(298000 * pow(${u('s', 'i', 14)}, 2))), range(1, k + 1))) AS offsets,
        arrayJoin(range(1, k + 1)) AS j
      FROM numbers_mt({from:UInt64}, {count:UInt64})
    )
    SETTINGS max_insert_threads = 2`;

  const chunk = 1_000_000;
  let inserted = 0;
  for (let from = 0; from < sessions; from += chunk) {
    const count = Math.min(chunk, sessions - from);
    await store.command(sql, { ...params, from, count });
    inserted = Number((await store.query<{ c: string }>('SELECT count() AS c FROM events WHERE site_id = {site:UInt32}', { site: o.siteId }))[0]!.c);
    o.onProgress?.(inserted);
  }
  return { paths: PATHS.length, sources: new Set(traffic.rows.map((r) => r.source)).size, countries: COUNTRIES.length };
}
