import type { Config } from '@backstage/config';
import type { GpuPrice } from '@ai-platform/backstage-plugin-ai-platform-node';
import { toMicros } from '../costs/money';
import type { PricingSettings } from '../costs/pricing';

/**
 * `aiPlatform.pricing`, read eagerly so a bad entry fails at startup naming its key:
 *   currency: USD
 *   gpu:
 *     - { flavor: h100, perHour: "3.10" }
 *     - { gpuProduct: NVIDIA-L4, perHour: "0.70", effectiveFrom: "2026-11-01T00:00:00Z" }
 */
export function readPricing(config: Config): PricingSettings {
  const pricing = config.getOptionalConfig('aiPlatform.pricing');
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
  return { currency: pricing?.getOptionalString('currency') ?? 'USD', prices };
}
