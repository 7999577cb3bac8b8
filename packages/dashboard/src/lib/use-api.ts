// Loading and changing things through the API from a component: the data with its error, and actions whose error
// shows next to the control that started them.
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.js';

/** GETs `url` (again on reload()); null loads nothing. */
export function useLoad<T>(url: string | null): { data?: T; error?: string; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    if (!url) return;
    api<T>(url).then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  }, [url]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

/** Runs an action, showing its error next to the control that started it. */
export function useAction(): [string | undefined, (fn: () => Promise<unknown>) => Promise<boolean>] {
  const [error, setError] = useState<string>();
  const run = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    }
  };
  return [error, run];
}
