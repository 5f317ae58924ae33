import type { Config } from '@backstage/config';
import type { GpuPrice, PriceSource } from '@ai-platform/backstage-plugin-ai-platform-node';
import { toMicros } from './money';

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

/**
 * `aiPlatform.pricing` as a price source, registered last so config wins:
 *   currency: USD
 *   gpu:
 *     - { flavor: h100, perHour: "3.10" }
 *     - { gpuProduct: NVIDIA-L4, perHour: "0.70", effectiveFrom: "2026-11-01T00:00:00Z" }
 * Read eagerly, so a bad entry fails at startup naming its key.
 */
export function configPriceSource(config?: Config) {
  const pricing = config?.getOptionalConfig('aiPlatform.pricing');
  const prices: GpuPrice[] = [];
  for (const [i, entry] of (pricing?.getOptionalConfigArray('gpu') ?? []).entries()) {
    const match = entry.getOptionalString('flavor') ?? entry.getOptionalString('gpuProduct');
    if (!match) throw new Error(`aiPlatform.pricing.gpu[${i}]: set flavor or gpuProduct`);
    const from = entry.getOptionalString('effectiveFrom');
    const fromMs = from ? Date.parse(from) : 0;
    if (Number.isNaN(fromMs))
      throw new Error(`aiPlatform.pricing.gpu[${i}].effectiveFrom: "${from}" is not an ISO 8601 time`);
    let micros: number;
    try {
      micros = toMicros(entry.getString('perHour'));
    } catch (e) {
      throw new Error(`aiPlatform.pricing.gpu[${i}].perHour: ${(e as Error).message}`);
    }
    prices.push({ match, microsPerHour: micros, from: fromMs });
  }
  return {
    name: 'aiPlatform.pricing',
    currency: pricing?.getOptionalString('currency') ?? 'USD',
    prices: () => prices,
  };
}

/** Effective-dated GPU prices per flavor or GPU product. */
export class PriceBook {
  private readonly prices: GpuPrice[];

  constructor(prices: GpuPrice[], readonly currency = 'USD') {
    this.prices = [...prices].sort((a, b) => a.from - b.from);
  }

  /** The default prices and then `aiPlatform.pricing` (see configPriceSource), as one book. */
  static fromConfig(config?: Config): PriceBook {
    return new PriceBook(
      [...defaultPriceSource.prices(), ...configPriceSource(config).prices()],
      config?.getOptionalString('aiPlatform.pricing.currency') ?? 'USD',
    );
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
