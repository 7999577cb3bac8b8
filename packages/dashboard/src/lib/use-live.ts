// The live stream of a site (server-sent events): current visitors and the latest pageviews/events.
import { useEffect, useState } from 'react';
import { api, isSharedView } from './api.js';

/** Shared views cannot open the stream (EventSource sends no custom headers): they poll the count instead. */
const POLL_MS = 10_000;

export interface LiveItem {
  ts: number | string;
  type: string;
  name: string;
  pathname: string;
  hostname: string;
  country: string;
  source: string;
  device: string;
}

export interface LiveState {
  visitors: number | null;
  connected: boolean;
  latest: LiveItem[];
  /** Increments with every pageview or event received. */
  received: number;
}

const KEEP = 20;

export function useLive(siteId: number | null): LiveState {
  const [state, setState] = useState<LiveState>({ visitors: null, connected: false, latest: [], received: 0 });
  useEffect(() => {
    if (siteId === null) return;
    if (isSharedView() || typeof EventSource === 'undefined') {
      let stop = false;
      const poll = () =>
        api<{ visitors: number }>(`/api/sites/${siteId}/realtime`).then(
          ({ visitors }) => !stop && setState((s) => ({ ...s, visitors, connected: true })),
          () => !stop && setState((s) => ({ ...s, connected: false })),
        );
      void poll();
      const timer = setInterval(poll, POLL_MS);
      return () => {
        stop = true;
        clearInterval(timer);
      };
    }
    // EventSource reconnects by itself after a network error.
    const source = new EventSource(`/api/sites/${siteId}/live`);
    const onItem = (e: MessageEvent<string>) => {
      let item: LiveItem;
      try {
        item = JSON.parse(e.data) as LiveItem;
      } catch {
        return;
      }
      setState((s) => ({ ...s, latest: [item, ...s.latest].slice(0, KEEP), received: s.received + 1 }));
    };
    source.addEventListener('visitors', (e) => {
      try {
        const { visitors } = JSON.parse((e as MessageEvent<string>).data) as { visitors: number };
        setState((s) => ({ ...s, visitors, connected: true }));
      } catch {
        // A malformed message is ignored; the next one brings the count.
      }
    });
    source.addEventListener('pageview', onItem as EventListener);
    source.addEventListener('event', onItem as EventListener);
    source.onopen = () => setState((s) => ({ ...s, connected: true }));
    source.onerror = () => setState((s) => ({ ...s, connected: false }));
    return () => source.close();
  }, [siteId]);
  return state;
}
