// Public surface of enrichment: pure functions that turn a tracked request into stored dimensions.
export { parseUserAgent, clearUserAgentCache, UNKNOWN as UA_UNKNOWN, type UserAgentInfo } from './user-agent.js';
export { deviceOf, screenOf, type DeviceClass } from './device.js';
export { botCheck, type BotVerdict, type RequestHeaders } from './bot.js';
export { parsePageUrl, referrerHostOf, type PageUrl, type UrlRules, type Utm } from './url.js';
export { sourceOf, sourceOfTag, type SourceInput } from './referrer.js';
export { channelOf, type ChannelInput } from './channel.js';
export { CHANNELS, type Channel } from './channel-rules.js';
export { categoryOfSource } from './source-lookup.js';
export { SOURCE_CATEGORIES, type SourceCategory } from './source-aliases.js';
