import { ConfigReader } from '@backstage/config';
import { readPricing } from './pricing';

describe('readPricing', () => {
  it('names the entry of aiPlatform.pricing it cannot read', () => {
    const bad = new ConfigReader({ aiPlatform: { pricing: { gpu: [{ flavor: 'h100', perHour: '3,10' }] } } });
    expect(() => readPricing(bad)).toThrow(/^aiPlatform\.pricing\.gpu\[0\]\.perHour: /);
  });
});
