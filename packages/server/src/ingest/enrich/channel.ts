// Channel of a visit from its source, UTM tags and click id, by the rules in channel-rules.ts.
import { CHANNEL_RULES, PAID_MEDIUM, type Channel, type Condition, type TrafficFacts } from './channel-rules.js';
import { clickIdRuleOf } from './click-ids.js';
import { categoryOfSource } from './source-lookup.js';

export interface ChannelInput {
  /** The stored source name from sourceOf(). */
  source?: string | null;
  /** referrerHostOf() of the referrer, "" when none. Leave it empty for self-referrals (sourceOf gave ""). */
  referrerHost?: string | null;
  utmMedium?: string | null;
  utmSource?: string | null;
  utmCampaign?: string | null;
  /** The click id parameter name ("gclid") or the clickId object from parsePageUrl(). */
  clickId?: string | { name: string } | null;
  /** The ?ref= tag, if any: a tagged link from elsewhere counts like a referrer. */
  refParam?: string | null;
}

export function channelOf(input: ChannelInput): Channel {
  const facts = factsOf(input);
  for (const rule of CHANNEL_RULES) if (rule.anyOf.some((condition) => holds(condition, facts))) return rule.channel;
  return 'Unassigned';
}

function factsOf(input: ChannelInput): TrafficFacts {
  const source = lower(input.source);
  const utmSource = lower(input.utmSource);
  const medium = lower(input.utmMedium);
  const campaign = lower(input.utmCampaign);
  const click = clickIdRuleOf(typeof input.clickId === 'string' ? input.clickId : input.clickId?.name);
  return {
    sources: [source, utmSource].filter((s) => s !== ''),
    category: categoryOfSource(input.source) || click?.category || '',
    medium,
    campaign,
    paid: PAID_MEDIUM.test(medium) || click?.paid === true,
    direct: source === '' && utmSource === '' && medium === '' && campaign === '' && !click,
    referred: source !== '' && (lower(input.referrerHost) !== '' || lower(input.refParam) !== ''),
  };
}

function holds(c: Condition, f: TrafficFacts): boolean {
  return (
    (c.direct === undefined || f.direct) &&
    (c.paid === undefined || f.paid) &&
    (c.referred === undefined || f.referred) &&
    (c.category === undefined || (f.category !== '' && c.category.includes(f.category))) &&
    (c.medium === undefined || c.medium.includes(f.medium)) &&
    (c.mediumPattern === undefined || (f.medium !== '' && c.mediumPattern.test(f.medium))) &&
    (c.source === undefined || f.sources.some((s) => c.source?.includes(s))) &&
    (c.campaignPattern === undefined || (f.campaign !== '' && c.campaignPattern.test(f.campaign)))
  );
}

function lower(s: string | null | undefined): string {
  return typeof s === 'string' ? s.trim().toLowerCase() : '';
}
