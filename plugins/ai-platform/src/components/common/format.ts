import { parseEntityRef } from '@backstage/catalog-model';
import {
  defaultRunbookEntityRef,
  runbookPath,
  type ReasonCode,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** TechDocs page of a reason's runbook in the TechDocs of `entityRef` (see useRunbookUrl). */
export function runbookUrl(code: ReasonCode, entityRef: string = defaultRunbookEntityRef): string {
  const { kind, namespace, name } = parseEntityRef(entityRef, {
    defaultKind: 'component',
    defaultNamespace: 'default',
  });
  return `/docs/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}/${runbookPath(code)}`;
}

/** "in 5 min", "in 2 h", "now", for an ISO time relative to now. */
export function relativeTime(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 45) return 'now';
  if (abs < 5400) text = `${Math.round(abs / 60)} min`;
  else if (abs < 172800) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86400)} d`;
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

function moneyFormat(currency: string, fractionDigits: number): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
  } catch {
    // Not an ISO 4217 code (e.g. "credits"): show the number followed by the unit.
    const plain = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    return { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
  }
}

/** An amount in whole units of `currency` ("$1,234.56"); large amounts without cents when `compact`. */
export function formatAmount(amount: number, currency: string, options: { compact?: boolean } = {}): string {
  const digits = options.compact && Math.abs(amount) >= 1000 ? 0 : 2;
  return moneyFormat(currency, digits).format(amount);
}

/** Integer micro-units of `currency`, as the cost routes send them, for display ("$1,234.56"). */
export function formatMicros(micros: number, currency: string, options: { compact?: boolean } = {}): string {
  return formatAmount(micros / 1_000_000, currency, options);
}

/** "1,234" GPU-hours: none above 100, one decimal below, two below 1 (so minutes of use do not read as 0). */
export function formatGpuHours(hours: number): string {
  let digits = 0;
  if (hours < 1) digits = 2;
  else if (hours < 100) digits = 1;
  return hours.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A 0..1 share as "42 %" ("< 1 %" for a sliver above zero); "—" when unknown. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  if (share > 0 && share < 0.005) return '< 1 %';
  return `${Math.round(share * 100)} %`;
}

/** Large counts in short form: 1.2 M, 35 k. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/**
 * When a waiting workload is expected to start, in words: "likely in 40 min,
 * almost surely within 2 h" when the backend gives a p90 as well as the
 * median, else "in 40 min"; "unknown" without an estimate.
 */
export function formatEta(p50: string | undefined, p90?: string, now = Date.now()): string {
  if (!p50) return 'unknown';
  const likely = relativeTime(p50, now);
  if (!p90 || p90 === p50) return likely;
  return `likely ${likely}, almost surely within ${relativeTime(p90, now).replace(/^in /, '')}`;
}
