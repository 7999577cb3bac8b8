// Axis and tooltip text for the time buckets the Stats API returns (labels are in the site's zone).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type LabelKind = 'minute' | 'hour' | 'day' | 'week' | 'month';

/** "2026-03-08T02:00:00-05:00" is an hour or minute; "2026-03-01" a day, week or month (told by the caller's spacing). */
export function labelKind(labels: string[]): LabelKind {
  const first = labels[0] ?? '';
  if (first.includes('T')) {
    if (labels.length > 1) {
      const step = Date.parse(labels[1]!) - Date.parse(first);
      if (step > 0 && step <= 60_000) return 'minute';
    }
    return 'hour';
  }
  if (labels.length > 1) {
    const days = (Date.parse(`${labels[1]}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000;
    if (days >= 28) return 'month';
    if (days === 7) return 'week';
  }
  return 'day';
}

const dayText = (label: string) => {
  const [, m, d] = label.slice(0, 10).split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}`;
};

/** Short text for the axis. */
export function shortLabel(label: string, kind: LabelKind): string {
  if (kind === 'minute' || kind === 'hour') return label.slice(11, 16);
  if (kind === 'month') return `${MONTHS[Number(label.slice(5, 7)) - 1]} ${label.slice(2, 4)}`;
  return dayText(label);
}

/** Full text for the tooltip, e.g. "Sun, Mar 8, 02:00 (UTC-05:00)" → kept simple: "Mar 8, 02:00". */
export function longLabel(label: string, kind: LabelKind): string {
  if (kind === 'minute' || kind === 'hour') return `${dayText(label)}, ${label.slice(11, 16)}`;
  if (kind === 'month') return `${MONTHS[Number(label.slice(5, 7)) - 1]} ${label.slice(0, 4)}`;
  if (kind === 'week') return `Week of ${dayText(label)} ${label.slice(0, 4)}`;
  return `${dayText(label)} ${label.slice(0, 4)}`;
}
