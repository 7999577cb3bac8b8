// The wire contract of POST /api/track: what a tracker may send, with the field limits of DESIGN.md §4.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

export const EVENT_TYPES = ['pageview', 'event', 'outbound', 'download', 'engagement', 'error', 'vitals'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Keys that must never become object keys on the server side. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const propValue = z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]);

// The key check looks at the raw object: z.record silently drops a "__proto__" key before any refine sees it.
const props = z
  .unknown()
  .refine((p) => typeof p !== 'object' || p === null || !Object.keys(p).some((k) => FORBIDDEN_KEYS.has(k)), {
    message: 'property names __proto__, constructor and prototype are not allowed',
  })
  .pipe(
    z
      .record(z.string().min(1).max(64), propValue)
      .refine((p) => Object.keys(p).length <= 30, { message: 'at most 30 properties per event' })
      .refine((p) => JSON.stringify(p).length <= 2048, { message: 'properties must total at most 2 KB as JSON' }),
  );

export const trackPayloadSchema = z
  .object({
    /** The site's id, as in data-site-id. */
    site_id: z
      .union([z.string().regex(/^\d{1,10}$/, 'site_id must be a number'), z.number().int()])
      .refine((v) => Number(v) >= 1 && Number(v) <= 2_147_483_647, 'site_id must be between 1 and 2147483647'),
    type: z.enum(EVENT_TYPES).default('pageview'),
    /** The full page URL (location.href); the server splits host, path and query. */
    url: z.string().min(1).max(4096),
    referrer: z.string().max(2048).optional(),
    title: z.string().max(512).optional(),
    /** Custom event name; for outbound/download the link URL travels in props.url. */
    name: z.string().max(256).optional(),
    props: props.optional(),
    revenue: z
      .object({ amount: z.number().finite().min(-1e12).max(1e12), currency: z.string().regex(/^[A-Za-z]{3}$/, 'currency must be a 3-letter ISO 4217 code') })
      .optional(),
    /** false for custom events that should not count as interaction (bounce rate). */
    interactive: z.boolean().optional(),
    screen_width: z.number().int().min(0).max(100_000).optional(),
    screen_height: z.number().int().min(0).max(100_000).optional(),
    viewport_width: z.number().int().min(0).max(100_000).optional(),
    language: z.string().max(35).optional(),
    /** Engagement pings: visible+focused time since the last ping, and max scroll depth in percent. */
    engaged_ms: z.number().int().min(0).max(86_400_000).optional(),
    scroll_depth: z.number().min(0).max(100).optional(),
    user_id: z.string().max(256).optional(),
    /** Server-to-server tracking with an ingest API key: the visitor's address and browser (ignored without the key). */
    ip: z
      .string()
      .max(45)
      .refine((v) => ipaddr.IPv4.isValidFourPartDecimal(v) || (v.includes(':') && ipaddr.IPv6.isValid(v)), 'ip must be an IPv4 (a.b.c.d) or IPv6 address')
      .optional(),
    user_agent: z.string().max(1024).optional(),
    /**
     * Client clock (epoch ms): checked, not stored. Events are recorded at the time they arrive (visitor ids and visits
     * are resolved at that time too), so there is no backfilling of past events.
     */
    ts: z
      .number()
      .int()
      .optional()
      .describe('client clock in epoch ms; checked (at most 30 days in the past, 10 minutes ahead) but not stored: events are recorded when they arrive'),
    /** Error events. */
    error: z
      .object({ message: z.string().max(1024), stack: z.string().max(8192).optional(), source: z.string().max(2048).optional() })
      .optional(),
    /** Web Vitals (ms, CLS unitless). */
    vitals: z
      .object({
        lcp: z.number().min(0).max(600_000).optional(),
        cls: z.number().min(0).max(100).optional(),
        inp: z.number().min(0).max(600_000).optional(),
        fcp: z.number().min(0).max(600_000).optional(),
        ttfb: z.number().min(0).max(600_000).optional(),
      })
      .optional(),
  })
  .strip()
  .superRefine((p, ctx) => {
    if ((p.type === 'event' || p.type === 'outbound' || p.type === 'download') && !p.name) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: `a ${p.type} needs a name` });
    }
    if (p.type === 'error' && !p.error) {
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'an error event needs error.message' });
    }
  });

export type TrackPayload = z.infer<typeof trackPayloadSchema>;

/** One line per problem, "field: message", for the 400 body. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
}
