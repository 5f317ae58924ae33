import type { Config } from '@backstage/config';
import { readAiPlatformConfig } from '../../config';
import { PriceBook } from '../../costs/pricing';

/** createAdmissionController's settings and price book from a config, as plugin.ts reads them (config prices over the list prices). */
export function settingsFrom(config: Config) {
  const settings = readAiPlatformConfig(config);
  return { settings, prices: PriceBook.withDefaults(settings.pricing) };
}
