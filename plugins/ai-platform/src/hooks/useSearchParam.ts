import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * A view's filter kept in the page's URL (`?name=value`), so a link
 * reproduces the view. The default is left out of the URL; changes replace
 * the history entry instead of adding one per keystroke.
 */
export function useSearchParam<T extends string = string>(
  name: string,
  defaultValue: NoInfer<T>,
  allowed?: readonly T[],
): [T, (value: T) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get(name);
  const value = raw !== null && (!allowed || (allowed as readonly string[]).includes(raw)) ? (raw as T) : defaultValue;
  const setValue = useCallback(
    (next: T) =>
      setParams(
        current => {
          const updated = new URLSearchParams(current);
          if (next === defaultValue || next === '') updated.delete(name);
          else updated.set(name, next);
          return updated;
        },
        { replace: true },
      ),
    [name, defaultValue, setParams],
  );
  return [value, setValue];
}
