import type { WaitForPodsReadyConfig } from '../config/types';
import { engineFor, GPU, queue, resourceFlavor, workload } from '../__testUtils__/builders';
import { podsReadyDeadline, podsReadyTimeout, requeueBackoff } from './podsReady';
import type { Workload } from './types';
import type { WorkloadState } from './workloadState';

const config: WaitForPodsReadyConfig = {
  enable: true,
  timeout: 60_000,
  blockAdmission: false,
  backoffBaseSeconds: 60,
  backoffMaxSeconds: 3600,
  requeuingTimestamp: 'Eviction',
};
const w: Workload = { key: 'ns/w', namespace: 'ns', name: 'w', queue: 'q', priority: 0, creationTime: 0, podSets: [] };
const state = (s: Partial<WorkloadState>): WorkloadState => ({
  workload: w,
  status: 'admitted',
  podsReady: false,
  requeueCount: 0,
  evictions: 0,
  token: 0,
  admittedAt: 1000,
  ...s,
});

describe('requeueBackoff: base x 2^(n-1) seconds, capped', () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
    [6, 1_920_000],
    [7, 3_600_000],
    [20, 3_600_000],
  ])('after eviction %d: %d ms', (n, ms) => {
    expect(requeueBackoff(config, n)).toBe(ms);
  });
});

describe('podsReadyDeadline', () => {
  it.each<[string, Partial<WorkloadState>, Partial<WaitForPodsReadyConfig>, number | undefined]>([
    ['admitted, pods not ready: admission + timeout', {}, {}, 61_000],
    ['waitForPodsReady off: none', {}, { enable: false }, undefined],
    ['pods ready: none', { podsReady: true }, {}, undefined],
    ['pending: none', { status: 'pending' }, {}, undefined],
  ])('%s', (_, s, c, deadline) => {
    expect(podsReadyDeadline(state(s), { ...config, ...c })).toBe(deadline);
  });
});

describe('podsReadyTimeout', () => {
  it.each<[string, number | undefined, number, object]>([
    [
      'requeued after a backoff',
      undefined,
      0,
      {
        status: 'pending',
        requeueAt: 70_000,
        message: 'Pods were not ready within 60s of admission; requeued after a 60s backoff',
      },
    ],
    [
      'requeued with a doubled backoff the second time',
      3,
      1,
      {
        status: 'pending',
        requeueAt: 130_000,
        message: 'Pods were not ready within 60s of admission; requeued after a 120s backoff',
      },
    ],
    [
      'deactivated past backoffLimitCount',
      1,
      1,
      {
        status: 'inactive',
        requeueAt: undefined,
        message: 'Pods were not ready within 60s of admission; deactivated after 2 attempts',
      },
    ],
  ])('%s', (_, backoffLimitCount, requeueCount, expected) => {
    const s = state({ requeueCount });
    const decision = podsReadyTimeout(s, { ...config, backoffLimitCount }, 'team', 10_000);
    expect({ status: s.status, requeueAt: s.requeueAt, message: s.lastReason?.message }).toEqual(expected);
    expect(decision).toMatchObject({ type: 'Evicted', reason: 'PodsReadyTimeout', clusterQueue: 'team' });
  });
});

describe('pods-ready timers in the engine', () => {
  // "stuck" never gets its pods ready: evicted at 60 s, queued again after the 60 s backoff.
  it.each<[string, boolean, Array<number | undefined>]>([
    ['waitForPodsReady on: a timeout, then a backoff, then the next timeout', true, [60_000, 120_000, 180_000]],
    ['waitForPodsReady off: no timers', false, [undefined, undefined, undefined]],
  ])('%s', (_, enable, wakeups) => {
    const { engine, workloads } = engineFor({
      config: { waitForPodsReady: { enable, timeout: '60s' } },
      objects: [resourceFlavor('default'), ...queue('team', { flavors: { default: { [GPU]: 4 } } })],
      workloads: [workload('stuck', 'team', { count: 4 })],
    });
    engine.submit(workloads.stuck);
    const seen: Array<number | undefined> = [];
    let now = 0;
    for (let i = 0; i < 3; i++) {
      engine.schedule(now);
      seen.push(engine.nextWakeup());
      now = seen[i] ?? now;
    }
    expect(seen).toEqual(wakeups);
  });
});
