import { act, renderHook } from '@testing-library/react';
import { useLiveData } from './useLiveData';

let signal: { lastSignal: unknown; isSignalsAvailable: boolean } = { lastSignal: null, isSignalsAvailable: true };
jest.mock('@backstage/plugin-signals-react', () => ({ useSignal: () => signal }));

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('useLiveData', () => {
  it('shows the first answer when a signal asks for a reload while it is in flight, then reloads once', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const load = jest.fn((): Promise<string> => answers[calls++].promise);
    signal = { lastSignal: null, isSignalsAvailable: true };
    const { result, rerender } = renderHook(() => useLiveData(load, []));
    expect(result.current.loading).toBe(true);
    // Two signals while the first load is under way: one more load, after it.
    signal = { lastSignal: { n: 1 }, isSignalsAvailable: true };
    rerender();
    signal = { lastSignal: { n: 2 }, isSignalsAvailable: true };
    rerender();
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => answers[0].resolve('first'));
    expect(result.current.value).toBe('first');
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => answers[1].resolve('second'));
    expect(result.current.value).toBe('second');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not show what was in flight for other parameters', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const load = jest.fn((_team: string): Promise<string> => answers[calls++].promise);
    const { result, rerender } = renderHook(({ team }) => useLiveData(() => load(team), [team]), {
      initialProps: { team: 'a' },
    });
    rerender({ team: 'b' });
    expect(load).toHaveBeenLastCalledWith('b');
    await act(async () => answers[0].resolve('for a'));
    expect(result.current.value).toBeUndefined();
    await act(async () => answers[1].resolve('for b'));
    expect(result.current.value).toBe('for b');
  });
});
