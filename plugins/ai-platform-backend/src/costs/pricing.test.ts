import { ConfigReader } from '@backstage/config';
import { readPricing } from '../config/pricing';
import { configPriceSource, defaultPriceSource, PriceBook } from './pricing';

const hour = (book: PriceBook, product: string) => book.segments(undefined, product, 0, 3_600_000)[0].microsPerHour;

describe('price sources', () => {
  const config = new ConfigReader({
    aiPlatform: { pricing: { currency: 'EUR', gpu: [{ gpuProduct: 'NVIDIA-L4', perHour: '0.70' }] } },
  });

  it('lets later sources win: list prices, then modules, then aiPlatform.pricing', async () => {
    const module = {
      name: 'contract',
      prices: () => [
        { match: 'NVIDIA-L4', microsPerHour: 500_000, from: 0 },
        { match: 'NVIDIA-L40S', microsPerHour: 1_200_000, from: 0 },
      ],
    };
    const book = await PriceBook.fromSources(
      [defaultPriceSource, module, configPriceSource(readPricing(config))],
      'EUR',
    );
    expect(hour(book, 'NVIDIA-L4')).toBe(700_000);
    expect(hour(book, 'NVIDIA-L40S')).toBe(1_200_000);
    expect(hour(book, 'NVIDIA-H100-80GB-HBM3')).toBe(4_000_000);
  });

  it('refuses a source in another currency, naming it', async () => {
    const dollars = { name: 'a US price list', currency: 'USD', prices: () => [] };
    await expect(PriceBook.fromSources([dollars], 'EUR')).rejects.toThrow(
      'Price source a US price list prices in USD, but aiPlatform.pricing.currency is EUR',
    );
  });
});
