// Current visitors (last 5 minutes), pushed by the server's live stream.
import { formatNumber } from '../lib/format.js';
import type { LiveState } from '../lib/use-live.js';

export function LiveCounter({ live }: { live: LiveState }) {
  const n = live.visitors;
  return (
    <span className={`live ${live.connected ? 'live-on' : ''}`} role="status" aria-live="polite" title="Visitors in the last 5 minutes">
      <span className="dot" aria-hidden="true" />
      <span data-testid="live-visitors">{n === null ? '…' : formatNumber(n)}</span> current {n === 1 ? 'visitor' : 'visitors'}
    </span>
  );
}
