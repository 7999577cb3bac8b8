// The main chart: one metric over time, the previous period as a faint line, a tooltip per bucket.
import { useEffect, useRef, useState } from 'react';
import type { StatsResponse } from '../lib/api.js';
import { formatMetric } from '../lib/format.js';
import { labelKind, longLabel, shortLabel } from '../lib/time-labels.js';
import { axisTicks } from '../lib/chart-scale.js';
import { Skeleton } from './Skeleton.js';

const HEIGHT = 260;
const PAD = { top: 16, right: 12, bottom: 28, left: 48 };

/** Counts get whole-number ticks (no 1.25 visitors). */
const COUNTS = new Set(['visitors', 'visits', 'pageviews']);

export function TimeChart({ metric, metricLabel, data, loading, error }: { metric: string; metricLabel: string; data?: StatsResponse; loading: boolean; error?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<number | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => entry && setWidth(Math.max(280, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  if (!data || error) {
    return (
      <div ref={box} className="chart" style={{ height: HEIGHT }}>
        {error ? <div className="chart-empty">The chart could not be loaded.</div> : loading ? <Skeleton height={HEIGHT - 8} /> : null}
      </div>
    );
  }
  const labels = data.results.map((r) => String(r.dimensions[0]));
  const kind = labelKind(labels);
  // Hours of today that have not begun yet are not zeros: the line stops at the current hour.
  const clock = Date.now();
  const future = labels.map((l) => (kind === 'hour' || kind === 'minute') && Date.parse(l) > clock);
  const now = data.results.map((r, i) => (future[i] ? null : (r.metrics[0] ?? 0)));
  const before = data.results.map((r) => r.comparison?.metrics[0] ?? null);
  const hasBefore = before.some((v) => v !== null);
  const ticks = axisTicks(Math.max(0, ...now.map((v) => v ?? 0), ...before.map((v) => v ?? 0)), COUNTS.has(metric));
  const max = ticks[ticks.length - 1]!;
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length > 1 ? (i / (labels.length - 1)) * innerW : innerW / 2);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const path = (vals: (number | null)[]) =>
    vals
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter(Boolean)
      .join(' ');
  const labelEvery = Math.max(1, Math.ceil(labels.length / Math.max(2, Math.floor(innerW / 70))));
  const total = now.reduce<number>((a, b) => a + (b ?? 0), 0);
  const lastDrawn = now.reduce<number>((last, v, i) => (v === null ? last : i), 0);

  const onMove = (clientX: number) => {
    const rect = box.current?.getBoundingClientRect();
    if (!rect || labels.length === 0) return;
    const rel = (clientX - rect.left - PAD.left) / innerW;
    setHover(Math.min(labels.length - 1, Math.max(0, Math.round(rel * (labels.length - 1)))));
  };
  const tip = hover !== null && hover < labels.length ? hover : null;

  return (
    <div ref={box} className={`chart ${loading ? 'is-loading' : ''}`} style={{ height: HEIGHT }} onMouseLeave={() => setHover(null)}>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`${metricLabel} by ${kind}${labels.length ? `, ${longLabel(labels[0]!, kind)} to ${longLabel(labels[labels.length - 1]!, kind)}` : ''}`}
        onMouseMove={(e) => onMove(e.clientX)}
        onTouchStart={(e) => e.touches[0] && onMove(e.touches[0].clientX)}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 8} y={y(t)} className="chart-axis" textAnchor="end" dominantBaseline="middle">
              {formatMetric(metric, t)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % labelEvery === 0 ? (
            <text key={l + i} x={x(i)} y={HEIGHT - 8} className="chart-axis" textAnchor={labels.length > 1 && i === 0 ? 'start' : labels.length > 1 && i === labels.length - 1 ? 'end' : 'middle'}>
              {shortLabel(l, kind)}
            </text>
          ) : null,
        )}
        {hasBefore && <polyline points={path(before)} className="chart-line-previous" fill="none" />}
        {labels.length > 1 && <polygon points={`${x(0)},${y(0)} ${path(now)} ${x(lastDrawn)},${y(0)}`} className="chart-area" />}
        <polyline points={path(now)} className="chart-line" fill="none" />
        {labels.length === 1 && now[0] !== null && <circle cx={x(0)} cy={y(now[0]!)} r={4} className="chart-dot" />}
        {tip !== null && (
          <g>
            <line x1={x(tip)} x2={x(tip)} y1={PAD.top} y2={PAD.top + innerH} className="chart-cursor" />
            {now[tip] !== null && <circle cx={x(tip)} cy={y(now[tip]!)} r={4} className="chart-dot" />}
          </g>
        )}
      </svg>
      {tip !== null && (
        <div className="chart-tip" style={{ left: Math.min(Math.max(x(tip) - 90, 0), width - 180) }} role="status">
          <strong>{longLabel(labels[tip]!, kind)}</strong>
          <span>
            {metricLabel}: {now[tip] === null ? 'not yet' : formatMetric(metric, now[tip]!)}
          </span>
          {before[tip] !== null && (
            <span className="muted">
              previous period: {formatMetric(metric, before[tip]!)}
            </span>
          )}
        </div>
      )}
      {total === 0 && !loading && <div className="chart-empty">No {metricLabel.toLowerCase()} in this period.</div>}
    </div>
  );
}
