import { useCallback, useEffect, useRef, useState } from 'react';

/** An API error as the server reports it: `{"error":{"code","message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  /** The route or the part behind it does not exist (yet): pages show an empty state. */
  get missing() {
    return this.status === 404 || this.status === 503 || this.status === 501;
  }
}

let onUnauthenticated: () => void = () => {};
/** Called when a request answers 401 (session expired): the app goes back to the login page. */
export const setUnauthenticatedHandler = (fn: () => void) => {
  onUnauthenticated = fn;
};

/** Calls the API with the session cookie (same origin). */
export async function api<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: opts.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (res.status === 401 && !opts.quiet401) onUnauthenticated();
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText);
  }
  return json as T;
}

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** The list inside a response, whatever the route calls it. */
export function itemsOf<T>(x: unknown, ...keys: string[]): T[] {
  if (Array.isArray(x)) return x as T[];
  if (!x || typeof x !== 'object') return [];
  for (const k of [...keys, 'items', 'entries', 'results', 'data']) {
    const v = (x as Record<string, unknown>)[k];
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * GETs `path` (null = skip), re-fetching when it changes and every `refreshMs` while the tab is visible.
 * Errors never throw into the page: a missing route yields `error.missing` and the page shows an empty state.
 */
export function useApi<T>(path: string | null, opts: { refreshMs?: number } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const current = useRef(path);
  current.current = path;
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>('GET', path, undefined, { signal: ctl.signal }).then(
      (data) => current.current === path && setState({ data, loading: false }),
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        const error = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', (e as Error).message);
        setState((s) => ({ data: error.missing ? undefined : s.data, error, loading: false }));
      },
    );
    return () => ctl.abort();
  }, [path, tick]);
  useEffect(() => {
    if (!opts.refreshMs || path === null) return;
    const id = setInterval(() => document.visibilityState === 'visible' && setTick((t) => t + 1), opts.refreshMs);
    return () => clearInterval(id);
  }, [opts.refreshMs, path]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
