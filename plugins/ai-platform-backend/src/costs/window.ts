import { InputError } from '@backstage/errors';
import { DAY_MS, HOUR_MS } from './rollup';

/** "7d", "30d", "24h", or "2026-11-01T00:00:00Z,2026-11-08T00:00:00Z" (OpenCost's window syntax). */
export function parseWindow(window: string | undefined, now: number): { from: number; to: number } {
  const text = window ?? '7d';
  const relative = /^(\d+)(d|h)$/.exec(text);
  if (relative) return { from: now - Number(relative[1]) * (relative[2] === 'd' ? DAY_MS : HOUR_MS), to: now };
  const [a, b] = text.split(',');
  const from = Date.parse(a);
  const to = b ? Date.parse(b) : now;
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) {
    throw new InputError(`window "${text}" is not valid; use 7d, 30d, 24h or "<start>,<end>" in ISO 8601`);
  }
  return { from, to };
}
