// Is this request a bot? isbot on the UA plus our automation/headless patterns and header signals.
import { isbotMatch } from 'isbot';
import { HEADER_BOT_PATTERNS, UA_BOT_PATTERNS } from './bot-patterns.js';

export interface BotVerdict {
  isBot: boolean;
  /** "" for people; otherwise "empty-user-agent", "ua:<pattern reason>", "isbot:<matched text>" or "header:<reason>". */
  reason: string;
}

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Markers sit near the start of a UA; bounding the length bounds the regex work on hostile input. */
const UA_CHECK_LENGTH = 1_000;
const REASON_MATCH_LENGTH = 40;
const HUMAN: BotVerdict = Object.freeze({ isBot: false, reason: '' });

export function botCheck(ua: string | null | undefined, headers: RequestHeaders = {}): BotVerdict {
  const agent = typeof ua === 'string' ? ua.trim().slice(0, UA_CHECK_LENGTH) : '';
  if (agent === '') return { isBot: true, reason: 'empty-user-agent' };

  for (const { reason, pattern } of UA_BOT_PATTERNS) if (pattern.test(agent)) return { isBot: true, reason: `ua:${reason}` };

  const match = isbotMatch(agent);
  if (match !== null) return { isBot: true, reason: `isbot:${match.trim().slice(0, REASON_MATCH_LENGTH)}` };

  for (const { reason, header, pattern } of HEADER_BOT_PATTERNS) {
    const value = headerValue(headers, header);
    if (value !== '' && pattern.test(value)) return { isBot: true, reason: `header:${reason}` };
  }
  return HUMAN;
}

/** Case-insensitive header lookup; repeated headers are joined as HTTP would fold them. */
function headerValue(headers: RequestHeaders, name: string): string {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return (Array.isArray(value) ? value.join(', ') : String(value)).slice(0, UA_CHECK_LENGTH);
  }
  return '';
}
