import { useCallback, useEffect, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';

/** The signals channel the backend publishes workload changes on. */
export const workloadSignalsChannel = 'ai-platform:workloads';

export interface LiveData<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  /** True while refreshing data already shown. */
  refreshing: boolean;
  retry(): void;
}

/**
 * Loads data and keeps it current: reloads when the backend signals a
 * workload change, and polls as a fallback (every 15 s, or 60 s while
 * signals work).
 *
 * A reload asked for while a load is under way waits for it and then runs
 * once (signals come in bursts while a fleet is busy), and an answer is shown
 * whenever it is newer than the one on screen: a signal no longer throws away
 * the first answer a card is waiting for.
 */
export function useLiveData<T>(load: () => Promise<T>, deps: unknown[]): LiveData<T> {
  const [state, setState] = useState<{ value?: T; error?: Error; loading: boolean; refreshing: boolean }>({
    loading: true,
    refreshing: false,
  });
  const { lastSignal, isSignalsAvailable } = useSignal(workloadSignalsChannel);
  const started = useRef(0);
  const shown = useRef(0);
  /** The load under way (0: none), and whether another was asked for meanwhile. */
  const inFlight = useRef(0);
  const again = useRef(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const loader = useCallback(load, deps);
  // The reload a finished load starts when another was asked for meanwhile (the current `run`).
  const runRef = useRef<() => void>(() => {});

  const run = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const mine = ++started.current;
    inFlight.current = mine;
    setState(s => ({ ...s, refreshing: s.value !== undefined, loading: s.value === undefined }));
    const settled = (next: (s: typeof state) => typeof state) => {
      if (mine > shown.current) {
        shown.current = mine;
        setState(next);
      }
      if (inFlight.current !== mine) return;
      inFlight.current = 0;
      if (again.current) {
        again.current = false;
        runRef.current();
      }
    };
    loader().then(
      value => settled(() => ({ value, loading: false, refreshing: false })),
      error => settled(s => ({ ...s, error, loading: false, refreshing: false })),
    );
  }, [loader]);
  runRef.current = run;

  // A new loader (other parameters) starts afresh: what is in flight for the old one is not shown.
  useEffect(() => {
    shown.current = started.current;
    inFlight.current = 0;
    again.current = false;
  }, [loader]);
  useEffect(run, [run, lastSignal]);
  useEffect(() => {
    const timer = setInterval(run, isSignalsAvailable ? 60_000 : 15_000);
    return () => clearInterval(timer);
  }, [run, isSignalsAvailable]);

  return { ...state, retry: run };
}
