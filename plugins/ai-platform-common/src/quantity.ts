/**
 * Kubernetes resource quantities ("8", "500m", "16Gi", "1.5") as exact
 * integers of milli-units, so quota arithmetic never rounds.
 */

const suffixes: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// Every suffix of the API's quantity grammar; Kueue writes nano-units (decayed usage in LocalQueue status).
const pattern = /^([+-]?[0-9]*\.?[0-9]+)(?:[eE]([+-]?[0-9]+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** Parses a quantity into milli-units; throws with the offending text when it is not one. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Math.round(value * 1000);
  }
  if (typeof value !== 'string') {
    throw new Error(`expected a quantity such as "8", "500m" or "16Gi", got ${JSON.stringify(value)}`);
  }
  const match = pattern.exec(value.trim());
  if (!match) {
    throw new Error(`"${value}" is not a Kubernetes quantity (examples: "8", "500m", "16Gi")`);
  }
  const [, number, exponent, suffix = ''] = match;
  const milli = Number(number) * 10 ** Number(exponent ?? 0) * suffixes[suffix] * 1000;
  return Math.round(milli);
}

/** Formats milli-units back into the shortest plain quantity ("8", "500m", "1.5"). */
export function formatQuantity(milli: number): string {
  if (milli % 1000 === 0) return String(milli / 1000);
  return `${milli}m`;
}

/** Milli-units as a plain number of units (for reports). */
export function toUnits(milli: number): number {
  return milli / 1000;
}
