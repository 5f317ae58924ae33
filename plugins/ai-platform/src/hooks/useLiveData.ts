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
 */
export function useLiveData<T>(load: () => Promise<T>, deps: unknown[]): LiveData<T> {
  const [state, setState] = useState<{ value?: T; error?: Error; loading: boolean; refreshing: boolean }>({
    loading: true,
    refreshing: false,
  });
  const { lastSignal, isSignalsAvailable } = useSignal(workloadSignalsChannel);
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const loader = useCallback(load, deps);

  const run = useCallback(() => {
    const mine = ++generation.current;
    setState(s => ({ ...s, refreshing: s.value !== undefined, loading: s.value === undefined }));
    loader().then(
      value => mine === generation.current && setState({ value, loading: false, refreshing: false }),
      error => mine === generation.current && setState(s => ({ ...s, error, loading: false, refreshing: false })),
    );
  }, [loader]);

  useEffect(run, [run, lastSignal]);
  useEffect(() => {
    const timer = setInterval(run, isSignalsAvailable ? 60_000 : 15_000);
    return () => clearInterval(timer);
  }, [run, isSignalsAvailable]);

  return { ...state, retry: run };
}
