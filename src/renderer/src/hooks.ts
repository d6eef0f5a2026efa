// React glue: the client in context, events, the clock, element width and cached loads.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ApiEvents, EventName } from '../../shared/api';
import type { Connection, OpsdeckClient } from './client';

export const ClientContext = createContext<OpsdeckClient | null>(null);

export function useClient(): OpsdeckClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientContext');
  return client;
}

export function useConnection(): Connection {
  const client = useClient();
  const [conn, setConn] = useState(client.connection());
  useEffect(() => {
    setConn(client.connection());
    return client.onConnection(setConn);
  }, [client]);
  return conn;
}

/** Subscribes to a pushed event; the latest callback is used without resubscribing. */
export function useEvent<E extends EventName>(event: E, cb: (payload: ApiEvents[E]) => void): void {
  const client = useClient();
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => client.on(event, (p) => ref.current(p)), [client, event]);
}

/** The current time, updated every `everyMs`. */
export function useNow(everyMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** The content width of an element, in CSS pixels, following resizes. */
export function useElementWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) setWidth(Math.floor(e.contentRect.width));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  /** When data was last loaded successfully. */
  at: number | null;
  reload: () => void;
}

/** Last good answers by key: pages show them while the backend is unreachable. */
const cache = new Map<string, { data: unknown; at: number }>();

/**
 * Loads with `fn` whenever `key` changes or reload() is called. A failed reload keeps the
 * previous data (and says so through error), it never blanks the page.
 */
export function useLoad<T>(key: string | null, fn: () => Promise<T>): Loaded<T> {
  const cached = key !== null ? cache.get(key) : undefined;
  const [state, setState] = useState<{
    key: string | null;
    data: T | undefined;
    at: number | null;
  }>({
    key,
    data: cached?.data as T | undefined,
    at: cached?.at ?? null,
  });
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  if (state.key !== key) {
    const c = key !== null ? cache.get(key) : undefined;
    setState({ key, data: c?.data as T | undefined, at: c?.at ?? null });
  }

  useEffect(() => {
    if (key === null) return;
    let alive = true;
    setLoading(true);
    fnRef.current().then(
      (data) => {
        if (!alive) return;
        const at = Date.now();
        cache.set(key, { data, at });
        setState({ key, data, at });
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!alive) return;
        setError(err instanceof Error ? err : new Error(String(err)));
        setLoading(false);
      },
    );
    return () => {
      alive = false;
    };
  }, [key, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error, loading, at: state.at, reload };
}

/** Calls fn at most once per `ms`, with a trailing call so the last event is not lost. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      fnRef.current();
      return;
    }
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      fnRef.current();
    }, wait);
  }, [ms]);
}
