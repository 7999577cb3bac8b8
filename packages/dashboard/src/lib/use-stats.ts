// React hook around the Stats API: one request per change of the query, the older one aborted.
import { useEffect, useState } from 'react';
import { stats, type StatsQuery, type StatsResponse } from './api.js';

export interface StatsState {
  data?: StatsResponse;
  error?: string;
  loading: boolean;
}

export function useStats(query: StatsQuery | null, refreshKey = 0): StatsState {
  const key = query ? JSON.stringify(query) : '';
  const [state, setState] = useState<StatsState>({ loading: query !== null });
  useEffect(() => {
    if (!query) return;
    const ctrl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    stats(query, ctrl.signal).then(
      (data) => !ctrl.signal.aborted && setState({ data, loading: false }),
      (err: Error) => !ctrl.signal.aborted && setState({ error: err.message, loading: false }),
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the serialised query is the dependency
  }, [key, refreshKey]);
  return state;
}
