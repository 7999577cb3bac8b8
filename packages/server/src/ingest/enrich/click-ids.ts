// Ad-click identifiers and other tracking parameters found in landing-page URLs, with what each one implies.
import type { SourceCategory } from './source-aliases.js';

export interface ClickIdRule {
  /** Query parameter name, lower-case (matched case-insensitively). */
  param: string;
  /** The source it implies when neither utm_source, ref nor a referrer names one (a name in SOURCE_ALIASES). */
  source: string;
  /** The network's kind of traffic, used for the paid channel when the source says nothing better. */
  category: SourceCategory;
  /** Whether the id is only ever added to ad clicks. */
  paid: boolean;
}

/** In order of precedence when a URL carries several. */
export const CLICK_IDS: readonly ClickIdRule[] = [
  { param: 'gclid', source: 'Google', category: 'search', paid: true },
  { param: 'gbraid', source: 'Google', category: 'search', paid: true },
  { param: 'wbraid', source: 'Google', category: 'search', paid: true },
  { param: 'dclid', source: 'Google Display', category: 'display', paid: true },
  { param: 'msclkid', source: 'Bing', category: 'search', paid: true },
  { param: 'yclid', source: 'Yandex', category: 'search', paid: true },
  { param: 'ttclid', source: 'TikTok', category: 'social', paid: true },
  { param: 'li_fat_id', source: 'LinkedIn', category: 'social', paid: true },
  { param: 'twclid', source: 'Twitter/X', category: 'social', paid: true },
  { param: 'epik', source: 'Pinterest', category: 'social', paid: true },
  { param: 'sccid', source: 'Snapchat', category: 'social', paid: true },
  { param: 'rdt_cid', source: 'Reddit', category: 'social', paid: true },
  // Meta appends fbclid to every outbound link, organic posts included, so it names the source but not payment.
  { param: 'fbclid', source: 'Facebook', category: 'social', paid: false },
];

/** Parameters removed from the stored query because they only carry tracking state (not click ids, no meaning). */
export const TRACKING_PARAMS: readonly string[] = ['gclsrc', '_gl', '_ga', 'srsltid', 'igshid', 'mc_cid', 'mc_eid', '_hsenc', '_hsmi', 'mkt_tok'];

/** Query parameters read as a source tag (`?ref=producthunt`), in order of precedence. Kept in the stored query. */
export const REF_PARAMS: readonly string[] = ['ref'];

const byParam = new Map(CLICK_IDS.map((rule) => [rule.param, rule]));

export function clickIdRuleOf(param: string | null | undefined): ClickIdRule | undefined {
  return param ? byParam.get(param.toLowerCase()) : undefined;
}
