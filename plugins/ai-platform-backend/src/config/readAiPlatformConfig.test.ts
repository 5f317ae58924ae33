import { ConfigReader } from '@backstage/config';
import { readAiPlatformConfig } from './readAiPlatformConfig';

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

  it('reads the clusters, their queues, the engine, prices and budget policies in the same pass', () => {
    const flavor = (name: string) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ResourceFlavor',
      metadata: { name },
    });
    const settings = readAiPlatformConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'east', url: 'https://east.example:6443' }] }],
        },
        aiPlatform: {
          clusters: { east: { mode: 'admit', queues: [flavor('h100')] } },
          queues: [flavor('l4')],
          engine: { featureGates: { PartialAdmission: false } },
          pricing: { currency: 'EUR', gpu: [{ flavor: 'h100', perHour: '3.10' }] },
          budgets: [{ team: 'vision', monthly: '100.00', policy: 'Hold' }],
        },
      }),
    );
    expect(settings.clusters.map(c => [c.name, c.mode])).toEqual([['east', 'admit']]);
    expect(settings.queues.shared).toEqual([flavor('l4')]);
    expect(settings.queues.byCluster.get('east')).toEqual([flavor('h100')]);
    expect(settings.engine.featureGates?.PartialAdmission).toBe(false);
    expect(settings.pricing).toEqual({
      currency: 'EUR',
      prices: [{ match: 'h100', microsPerHour: 3_100_000, from: 0 }],
    });
    expect(settings.costs.budgetPolicies.get('vision')).toBe('Hold');
  });

  it('names the aiPlatform key of a bad engine option or queue list', () => {
    expect(() => read({ engine: { featureGates: { PartialAdmission: 'yes' } } })).toThrow(
      /^aiPlatform\.engine: featureGates\.PartialAdmission: must be true or false/,
    );
    expect(() => read({ queues: { kind: 'ClusterQueue' } })).toThrow(
      /^aiPlatform\.queues must be a list of Kueue objects/,
    );
  });
});
