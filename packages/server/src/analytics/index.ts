// The analytics module's public surface: every caller asks runStatsQuery (DESIGN.md §1 "one query model").
export { runStatsQuery, type StatsResponse, type StatsRow, type StatsSite } from './run-query.js';
export { StatsQueryError, parseStatsQuery, type StatsQuery } from './parse-query.js';
export { METRIC_NAMES } from './catalog.js';
