import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { clusterQueue, GPU, queue, resourceFlavor, run, ScenarioDoc, workload } from '../__testUtils__/builders';
import { parseScenario } from './scenario';
import { simulate } from './simulate';

const twoTeams = resolve(__dirname, '../../../../examples/scenarios/two-teams.yaml');

/** The result without the wall-clock time, the one field allowed to differ between runs. */
function withoutWallTime(result: ReturnType<typeof simulate>) {
  const { wallMs, ...summary } = result.summary;
  return { ...result, summary };
}

/** 120 workloads of mixed size, priority and queue from a fixed-seed generator. */
function busyCohort(): ScenarioDoc {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const teams = ['research', 'serving', 'batch'];
  return {
    config: { fairSharing: { enable: true } },
    objects: [
      resourceFlavor('h100'),
      resourceFlavor('a100'),
      ...teams.flatMap(team =>
        queue(team, {
          cohort: 'gpus',
          flavors: { h100: { [GPU]: 8 }, a100: { [GPU]: 4 } },
          preemption: { withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' },
        }),
      ),
    ],
    workloads: Array.from({ length: 120 }, (_, i) =>
      workload(`w${i}`, teams[next(3)], {
        count: 1 + next(8),
        minCount: next(2) ? 1 : undefined,
        priority: next(3) * 100,
        arrival: next(600),
        duration: 30 + next(300),
      }),
    ),
  };
}

describe('determinism', () => {
  it.each([
    ['the two-teams example', () => simulate(parseScenario(readFileSync(twoTeams, 'utf8'), 'two-teams.yaml'))],
    ['a busy cohort with fair sharing, preemption and partial admission', () => run(busyCohort())],
  ])('gives identical results for %s run twice', (_, simulateOnce) => {
    const first = simulateOnce();
    expect(first.events.length).toBeGreaterThan(4);
    expect(withoutWallTime(simulateOnce())).toEqual(withoutWallTime(first));
  });

  it('does not depend on the order the objects are listed in', () => {
    const doc = busyCohort();
    const reversed = { ...doc, objects: [...doc.objects].reverse() };
    expect(withoutWallTime(run(reversed)).events).toEqual(withoutWallTime(run(doc)).events);
  });
});

describe('simulation summary', () => {
  it('reports makespan, counts and quota usage', () => {
    const result = run({
      objects: [
        resourceFlavor('default'),
        ...queue('team', { flavors: { default: { [GPU]: 4 } } }),
        clusterQueue('idle'),
      ],
      workloads: [
        workload('a', 'team', { count: 4, duration: 100 }),
        workload('b', 'team', { count: 2, duration: 100, arrival: 10 }),
        workload('never', 'team', { count: 5 }),
      ],
    });
    expect(result.summary).toMatchObject({
      makespan: 200,
      admitted: 2,
      finished: 2,
      neverAdmitted: 1,
      // team: 4 GPUs for 100s + 2 for 100s over 200s of 4 -> 75%; idle: 0 of 8.
      clusterQueues: {
        team: { usagePercent: { [`default/${GPU}`]: 75 } },
        idle: { usagePercent: { [`default/${GPU}`]: 0 } },
      },
      usage: { [GPU]: 25 },
      timeToAdmission: { byPriority: { 0: { count: 2, mean: 45, p95: 90 } } },
    });
  });
});
