// Delivers one payload to POST /api/track without delaying the page or carrying credentials.

/**
 * The body is JSON sent as text/plain: a CORS "simple" request, so the browser sends no preflight.
 * sendBeacon survives page unloads; when it is missing or refuses (queue full), fetch with keepalive
 * does the same job.
 */
export function post(endpoint: string, payload: object, debug: boolean): void {
  const body = JSON.stringify(payload);
  if (debug) console.log('[eesee] send', payload);
  try {
    if (navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }))) return;
  } catch {
    // No sendBeacon (or it threw): fall through to fetch.
  }
  const warn = (...details: unknown[]) => debug && console.warn('[eesee] send failed', ...details);
  try {
    fetch(endpoint, {
      method: 'POST',
      body,
      keepalive: true,
      credentials: 'omit',
      headers: { 'Content-Type': 'text/plain' },
    }).then((response) => response.ok || warn(response.status), warn);
  } catch (error) {
    // Analytics must never break the page: no fetch either means no event.
    warn(error);
  }
}
