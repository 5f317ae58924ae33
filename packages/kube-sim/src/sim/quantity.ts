import { parseQuantity as parseExact } from '@ai-platform/backstage-plugin-ai-platform-common';

/**
 * A Kubernetes quantity ("500m", "768Gi", "8") as a plain number, by the
 * platform's exact parser; NaN when malformed, so the simulator skips it and
 * keeps going.
 */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  try {
    return parseExact(value) / 1000;
  } catch {
    return NaN;
  }
}

/** Resource amounts keyed by resource name; cpu is in millicores, everything else in base units. */
export type ResourceAmounts = Map<string, number>;

/** Converts a resource list into comparable numbers (cpu in millicores so sums stay integral). */
export function toAmounts(list: Record<string, string | number> | undefined): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  for (const [name, q] of Object.entries(list ?? {})) {
    const n = parseQuantity(q);
    if (!Number.isNaN(n)) out.set(name, name === 'cpu' ? Math.round(n * 1000) : n);
  }
  return out;
}

/** Adds `b` into `a` times `sign`. */
export function addAmounts(a: ResourceAmounts, b: ResourceAmounts, sign = 1): void {
  for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + sign * v);
}
