import { useEffect, useRef, useState } from 'react';

/**
 * Subscribes to a Server-Sent Events stream (cookies go along: same origin). Each message's data is parsed as JSON.
 * Returns whether the stream is connected; a missing route simply stays disconnected.
 */
export function useEventStream(path: string | null, onMessage: (data: unknown, event: string) => void): boolean {
  const [open, setOpen] = useState(false);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!path || typeof EventSource === 'undefined') return;
    const es = new EventSource(`/api/v1${path}`, { withCredentials: true });
    let failures = 0;
    const deliver = (ev: MessageEvent) => {
      try {
        handler.current(JSON.parse(ev.data as string), ev.type);
      } catch {
        // A malformed message costs itself only.
      }
    };
    es.onopen = () => {
      failures = 0;
      setOpen(true);
    };
    es.onmessage = deliver;
    for (const name of ['event', 'log', 'trap', 'update', 'created', 'updated', 'cleared'])
      es.addEventListener(name, deliver as EventListener);
    es.onerror = () => {
      setOpen(false);
      // EventSource retries by itself; give up on a route that keeps failing (not built yet, or 404).
      if (++failures > 5) es.close();
    };
    return () => {
      es.close();
      setOpen(false);
    };
  }, [path]);
  return open;
}
