const suffixes: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** Parses a Kubernetes quantity ("500m", "768Gi", "8") into a plain number; NaN when malformed. */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+(?:e[+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match || !(match[2] in suffixes)) return NaN;
  return Number(match[1]) * suffixes[match[2]];
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
