import { ConfigReader } from '@backstage/config';
import { readAiPlatformConfig } from './config';

const read = (aiPlatform: object) => readAiPlatformConfig(new ConfigReader({ aiPlatform }));

describe('readAiPlatformConfig', () => {
  it('reads durations and schedules the Backstage way, with defaults for what is not set', () => {
    const settings = read({
      metrics: { pollInterval: { seconds: 30 } },
      costs: { ingestSchedule: { frequency: { minutes: 2 }, timeout: { minutes: 5 } }, hourlyRetention: '7d' },
    });
    expect(settings.metrics.pollInterval).toEqual({ seconds: 30 });
    expect(settings.costs.ingestSchedule).toEqual(
      expect.objectContaining({ frequency: { minutes: 2 }, timeout: { minutes: 5 } }),
    );
    expect(settings.costs.hourlyRetentionMs).toBe(7 * 86_400_000);
    expect(read({})).toEqual(
      expect.objectContaining({
        permissions: { teamScoped: true, adminGroups: [] },
        metrics: { pollInterval: { seconds: 15 } },
        costs: expect.objectContaining({ hourlyRetentionMs: 30 * 86_400_000, podFinalizer: true, currency: 'USD' }),
      }),
    );
  });

  it('names the key of a value it cannot read', () => {
    expect(() => read({ metrics: { pollInterval: 'soon' } })).toThrow(
      /^aiPlatform\.metrics\.pollInterval: .*seconds: 15/,
    );
    expect(() => read({ costs: { ingestSchedule: { frequency: 'often' } } })).toThrow(
      /^aiPlatform\.costs\.ingestSchedule: /,
    );
    expect(() => read({ budgets: [{ team: 'a', monthly: 'lots' }] })).toThrow(/aiPlatform\.budgets\[0\]/);
  });

  it('tells what replaces a key of an earlier version', () => {
    expect(() => read({ costs: { ingestIntervalSeconds: 60 } })).toThrow(
      'aiPlatform.costs.ingestIntervalSeconds is no longer read; use aiPlatform.costs.ingestSchedule',
    );
  });
});
