// Channel grouping rules after GA4's default channel grouping, plus an AI channel: first matching rule wins.
import type { SourceCategory } from './source-aliases.js';

export const CHANNELS = [
  'Direct', 'Cross-network', 'Paid Shopping', 'Paid Search', 'Paid Social', 'Paid Video', 'Display', 'Paid Other', 'AI',
  'Organic Shopping', 'Organic Social', 'Organic Video', 'Organic Search', 'Audio', 'Email', 'Affiliates', 'SMS',
  'Mobile Push Notifications', 'Referral', 'Unassigned',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** The facts a rule looks at, normalised by channel.ts (lower-case strings). */
export interface TrafficFacts {
  /** Stored source name and raw utm_source, both lower-case. */
  sources: readonly string[];
  /** Category of the source, else of the click id's network; "" when unknown. */
  category: SourceCategory | '';
  medium: string;
  campaign: string;
  /** A paid medium (cpc, ppc, paid_*, retargeting) or an ad-only click id. */
  paid: boolean;
  /** Nothing at all: no source, medium, campaign or click id. */
  direct: boolean;
  /** A referrer host or ?ref= tag brought the visit. */
  referred: boolean;
}

/** Every field given must hold (AND); omitted fields are not tested. */
export interface Condition {
  direct?: true;
  paid?: true;
  referred?: true;
  category?: readonly SourceCategory[];
  /** Exact lower-case values; "" means no medium. */
  medium?: readonly string[];
  mediumPattern?: RegExp;
  source?: readonly string[];
  campaignPattern?: RegExp;
}

export interface ChannelRule {
  channel: Exclude<Channel, 'Unassigned'>;
  /** The rule matches when any condition holds (OR). */
  anyOf: readonly Condition[];
}

export const PAID_MEDIUM = /^(?:.*cp.*|ppc|retargeting|paid.*)$/;
const SHOP_CAMPAIGN = /^(?:.*(?:(?:[^a-df-z]|^)shop|shopping).*)$/;
const DISPLAY_MEDIUMS = ['display', 'banner', 'expandable', 'interstitial', 'cpm'];
const SOCIAL_MEDIUMS = ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'];
const EMAIL_WORDS = ['email', 'e-mail', 'e_mail', 'e mail', 'newsletter'];

export const CHANNEL_RULES: readonly ChannelRule[] = [
  { channel: 'Direct', anyOf: [{ direct: true }] },
  { channel: 'Cross-network', anyOf: [{ campaignPattern: /cross-network/ }] },
  { channel: 'Paid Shopping', anyOf: [{ paid: true, category: ['shopping'] }, { paid: true, campaignPattern: SHOP_CAMPAIGN }] },
  { channel: 'Paid Search', anyOf: [{ paid: true, category: ['search'] }] },
  { channel: 'Paid Social', anyOf: [{ paid: true, category: ['social'] }] },
  { channel: 'Paid Video', anyOf: [{ paid: true, category: ['video'] }] },
  { channel: 'Display', anyOf: [{ medium: DISPLAY_MEDIUMS }, { category: ['display'] }] },
  { channel: 'Paid Other', anyOf: [{ paid: true }] },
  // Ours, not GA4's: assistants answer instead of listing results, so they are neither search nor referral.
  { channel: 'AI', anyOf: [{ category: ['ai'] }] },
  { channel: 'Organic Shopping', anyOf: [{ category: ['shopping'] }, { campaignPattern: SHOP_CAMPAIGN }] },
  { channel: 'Organic Social', anyOf: [{ category: ['social'] }, { medium: SOCIAL_MEDIUMS }] },
  { channel: 'Organic Video', anyOf: [{ category: ['video'] }, { mediumPattern: /video/ }] },
  { channel: 'Organic Search', anyOf: [{ category: ['search'] }, { medium: ['organic'] }] },
  { channel: 'Audio', anyOf: [{ category: ['audio'] }, { medium: ['audio', 'podcast'] }] },
  { channel: 'Email', anyOf: [{ category: ['email'] }, { source: EMAIL_WORDS }, { medium: EMAIL_WORDS }] },
  { channel: 'Affiliates', anyOf: [{ medium: ['affiliate', 'affiliates'] }] },
  { channel: 'SMS', anyOf: [{ source: ['sms'] }, { medium: ['sms'] }] },
  { channel: 'Mobile Push Notifications', anyOf: [{ mediumPattern: /push$|mobile|notification/ }, { source: ['firebase'] }] },
  // Last: a referrer without a medium is a referral only when nothing more specific claimed it.
  { channel: 'Referral', anyOf: [{ medium: ['referral', 'app', 'link'] }, { referred: true, medium: [''] }, { category: ['referral'], medium: [''] }] },
];
