import type { GpuPrice, PriceSource } from '@ai-platform/backstage-plugin-ai-platform-node';
import { toMicros } from './money';

/** `aiPlatform.pricing`: the currency and the configured prices per flavor or GPU product. */
export interface PricingSettings {
  currency: string;
  prices: GpuPrice[];
}

export type { GpuPrice };

/**
 * Default on-demand prices per GPU-hour (USD), rounded from public cloud list
 * prices in 2025 (AWS p5/p4d/g6 and GCP a3/a2/g2 per-GPU equivalents). Set
 * aiPlatform.pricing to your own contract prices.
 */
export const defaultGpuPrices: Record<string, string> = {
  'NVIDIA-H100-80GB-HBM3': '4.00',
  'NVIDIA-A100-SXM4-80GB': '2.50',
  'NVIDIA-A100-SXM4-40GB': '1.80',
  'NVIDIA-L4': '0.80',
  'NVIDIA-L40S': '1.60',
  'Tesla-T4': '0.35',
};

/** The built-in list prices (defaultGpuPrices), registered before every other source so any of them can override. */
export const defaultPriceSource = {
  name: 'built-in list prices',
  prices: (): GpuPrice[] =>
    Object.entries(defaultGpuPrices).map(([match, perHour]) => ({ match, microsPerHour: toMicros(perHour), from: 0 })),
};

/** `aiPlatform.pricing` as a price source (read by readAiPlatformConfig), registered last so config wins. */
export function configPriceSource(pricing: PricingSettings = { currency: 'USD', prices: [] }): PriceSource {
  return { name: 'aiPlatform.pricing', currency: pricing.currency, prices: () => pricing.prices };
}

/** Effective-dated GPU prices per flavor or GPU product. */
export class PriceBook {
  private readonly prices: GpuPrice[];

  constructor(prices: GpuPrice[], readonly currency = 'USD') {
    this.prices = [...prices].sort((a, b) => a.from - b.from);
  }

  /** The default prices and then `aiPlatform.pricing` as readAiPlatformConfig read it, as one book. */
  static withDefaults(pricing?: PricingSettings): PriceBook {
    return new PriceBook([...defaultPriceSource.prices(), ...(pricing?.prices ?? [])], pricing?.currency ?? 'USD');
  }

  /** One book of every source's prices, later sources winning for the same match and time. */
  static async fromSources(sources: PriceSource[], currency: string): Promise<PriceBook> {
    const prices: GpuPrice[] = [];
    for (const source of sources) {
      if (source.currency !== undefined && source.currency !== currency) {
        throw new Error(
          `Price source ${source.name} prices in ${source.currency}, but aiPlatform.pricing.currency is ${currency}; set one currency for every source`,
        );
      }
      prices.push(...(await source.prices()));
    }
    return new PriceBook(prices, currency);
  }

  /**
   * Splits [start, end) into pieces of constant price for a device known by
   * flavor and product (flavor prices win over product prices).
   */
  segments(
    flavor: string | undefined,
    product: string | undefined,
    start: number,
    end: number,
  ): Array<{ start: number; end: number; microsPerHour: number }> {
    const applicable = (key: string | undefined) => (key ? this.prices.filter(p => p.match === key) : []);
    const list = applicable(flavor).length ? applicable(flavor) : applicable(product);
    if (list.length === 0 || end <= start) return end > start ? [{ start, end, microsPerHour: 0 }] : [];
    const out: Array<{ start: number; end: number; microsPerHour: number }> = [];
    // The earliest price also covers any time before it was set.
    for (let i = 0; i < list.length; i++) {
      const from = i === 0 ? start : Math.max(start, list[i].from);
      const to = Math.min(end, i + 1 < list.length ? list[i + 1].from : Infinity);
      if (to > from)
        out.push({
          start: from,
          end: to,
          microsPerHour: list[i].microsPerHour,
        });
    }
    return out;
  }
}
