// Parses and validates a Stats API request into a normalised query; every refusal says what was wrong.
import { z } from 'zod';
import { PROP_KEYS, dimensionKind, isMetric, METRIC_NAMES, type DimensionKind, type Metric } from './catalog.js';

export class StatsQueryError extends Error {
  readonly statusCode = 400;
}

export const FILTER_OPS = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type FilterExpr =
  | { op: FilterOp; dimension: string; kind: DimensionKind; values: string[] }
  | { op: 'and' | 'or'; children: FilterExpr[] }
  | { op: 'not'; child: FilterExpr };

export type DateRangeInput = string | [string, string];

export interface StatsQuery {
  siteId: number;
  dateRange: DateRangeInput;
  metrics: Metric[];
  dimensions: string[];
  filters: FilterExpr | undefined;
  orderBy: [string, 'asc' | 'desc'][];
  limit: number;
  offset: number;
  compare: 'previous_period' | 'year_over_year' | undefined;
}

const requestSchema = z
  .object({
    site_id: z.union([z.number().int().positive(), z.string().regex(/^\d{1,9}$/).transform(Number)]),
    date_range: z.union([z.string().max(20), z.tuple([z.string().max(10), z.string().max(10)])]).default('30d'),
    metrics: z.array(z.string().max(64)).min(1, 'ask for at least one metric').max(20),
    dimensions: z.array(z.string().max(80)).max(3).default([]),
    filters: z.unknown().optional(),
    order_by: z.array(z.tuple([z.string().max(80), z.enum(['asc', 'desc'])])).max(5).optional(),
    limit: z.number().int().min(1).max(10_000).default(100),
    offset: z.number().int().min(0).max(1_000_000).default(0),
    compare: z.enum(['previous_period', 'year_over_year']).optional(),
  })
  .strict();

const MAX_FILTER_DEPTH = 6;
const MAX_FILTER_NODES = 50;
const MAX_FILTER_VALUE = 2048;

function parseFilter(raw: unknown, depth: number, count: { n: number }): FilterExpr {
  if (++count.n > MAX_FILTER_NODES) throw new StatsQueryError(`filters: at most ${MAX_FILTER_NODES} filter expressions`);
  if (depth > MAX_FILTER_DEPTH) throw new StatsQueryError(`filters: nested deeper than ${MAX_FILTER_DEPTH} levels`);
  if (!Array.isArray(raw) || typeof raw[0] !== 'string') {
    throw new StatsQueryError('filters: each filter is [op, dimension, [values]] or ["and"|"or", [filters]] or ["not", filter]');
  }
  const op = raw[0];
  if (op === 'and' || op === 'or') {
    if (raw.length !== 2 || !Array.isArray(raw[1]) || raw[1].length === 0) throw new StatsQueryError(`filters: "${op}" takes a non-empty list of filters`);
    return { op, children: raw[1].map((c: unknown) => parseFilter(c, depth + 1, count)) };
  }
  if (op === 'not') {
    if (raw.length !== 2) throw new StatsQueryError('filters: "not" takes one filter');
    return { op, child: parseFilter(raw[1], depth + 1, count) };
  }
  if (!(FILTER_OPS as readonly string[]).includes(op)) {
    throw new StatsQueryError(`filters: unknown operator "${op}"; use ${FILTER_OPS.join(', ')}, and, or, not`);
  }
  const [, dimension, values] = raw;
  if (typeof dimension !== 'string') throw new StatsQueryError(`filters: "${op}" needs a dimension name`);
  const kind = dimensionKind(dimension);
  if (!kind) throw new StatsQueryError(`filters: unknown dimension "${dimension}"`);
  if (kind === 'time') throw new StatsQueryError('filters: filter time with date_range, not with a filter');
  if (kind === 'prop-keys') throw new StatsQueryError('filters: filter on a property (event:props:<name>), not on event:props');
  if (!Array.isArray(values) || values.length === 0 || values.length > 100 || !values.every((v) => typeof v === 'string')) {
    throw new StatsQueryError(`filters: "${op}" on ${dimension} needs a list of 1 to 100 strings`);
  }
  if (values.some((v: string) => v.length > MAX_FILTER_VALUE)) throw new StatsQueryError(`filters: a value of "${op}" on ${dimension} is longer than ${MAX_FILTER_VALUE} characters`);
  return { op: op as FilterOp, dimension, kind, values: values as string[] };
}

export function parseStatsQuery(raw: unknown): StatsQuery {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StatsQueryError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const r = parsed.data;
  for (const m of r.metrics) if (!isMetric(m)) throw new StatsQueryError(`metrics: unknown metric "${m}"; known: ${METRIC_NAMES.join(', ')}`);
  const metrics = r.metrics as Metric[];
  const twice = metrics.find((m, i) => metrics.indexOf(m) !== i);
  if (twice) throw new StatsQueryError(`metrics: "${twice}" is listed twice (values come back in the order asked for, one per metric)`);
  for (const d of r.dimensions) if (!dimensionKind(d)) throw new StatsQueryError(`dimensions: unknown dimension "${d}"`);
  if (new Set(r.dimensions).size !== r.dimensions.length) throw new StatsQueryError('dimensions: a dimension is listed twice');
  if (r.dimensions.filter((d) => dimensionKind(d) === 'time').length > 1) throw new StatsQueryError('dimensions: at most one time dimension');
  const nonTime = r.dimensions.filter((d) => dimensionKind(d) !== 'time');
  if (r.dimensions.includes(PROP_KEYS)) {
    if (r.dimensions.length > 1) throw new StatsQueryError('dimensions: event:props (the names of event properties) cannot be combined with other dimensions');
    const other = metrics.filter((m) => m !== 'visitors' && m !== 'events');
    if (other.length) throw new StatsQueryError(`metrics: with event:props only visitors and events are offered, not ${other.join(', ')}`);
  }
  const eventKinds = nonTime.filter((d) => ['event', 'prop', 'prop-keys'].includes(dimensionKind(d)!));
  if (eventKinds.length > 1) throw new StatsQueryError('dimensions: at most one event dimension (page, hostname, event, event:props:*) per query');

  let filters: FilterExpr | undefined;
  if (r.filters !== undefined && r.filters !== null) {
    const count = { n: 0 };
    // A plain list of filters means "all of them"; a single expression is taken as it is.
    if (Array.isArray(r.filters) && (r.filters.length === 0 || Array.isArray(r.filters[0]))) {
      if (r.filters.length > 0) filters = { op: 'and', children: r.filters.map((f) => parseFilter(f, 1, count)) };
    } else filters = parseFilter(r.filters, 1, count);
  }
  if (metrics.includes('conversion_rate') && !goalOf(filters)) {
    throw new StatsQueryError('metrics: conversion_rate needs a goal: a top-level filter is, contains or matches on event or page, e.g. ["is", "event", ["Signup"]]');
  }

  const allowedOrder = new Set<string>([...metrics, ...r.dimensions]);
  for (const [key] of r.order_by ?? []) {
    if (!allowedOrder.has(key)) throw new StatsQueryError(`order_by: "${key}" is neither a requested metric nor a requested dimension`);
  }
  return {
    siteId: r.site_id,
    dateRange: r.date_range as DateRangeInput,
    metrics,
    dimensions: r.dimensions,
    filters,
    orderBy: r.order_by ?? [],
    limit: r.limit,
    offset: r.offset,
    compare: r.compare,
  };
}

/** The goal of a conversion rate: the top-level positive filters on `event` or `page`. */
export function goalOf(filters: FilterExpr | undefined): FilterExpr[] | undefined {
  if (!filters) return undefined;
  const top = filters.op === 'and' ? filters.children : [filters];
  const goals = top.filter((f) => 'dimension' in f && (f.dimension === 'event' || f.dimension === 'page') && ['is', 'contains', 'matches'].includes(f.op));
  return goals.length ? goals : undefined;
}

/** The filter tree without the given goal filters (the denominator of a conversion rate). */
export function withoutGoal(filters: FilterExpr | undefined, goals: FilterExpr[]): FilterExpr | undefined {
  if (!filters) return undefined;
  if (goals.includes(filters)) return undefined;
  if (filters.op !== 'and') return filters;
  const rest = filters.children.filter((c) => !goals.includes(c));
  return rest.length ? { op: 'and', children: rest } : undefined;
}
