import { seededRandom } from '@ai-platform/backstage-plugin-ai-platform-common';
import { Engine } from './Engine';
import { scenario, timeline, run, queue, resourceFlavor, workload, GPU, KueueObject } from '../__testUtils__/builders';
import type { Decision, Workload } from './types';

/** A seeded generator, so a failing seed can be replayed. */
function random(seed: number) {
  const next = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)];
  return { next, int, pick };
}

/** A small random fleet: cohorts of queues with random quotas, policies and fair-sharing weights (0 included). */
function randomScenario(seed: number) {
  const r = random(seed);
  const fair = r.next() < 0.5;
  const objects: KueueObject[] = [resourceFlavor('a'), resourceFlavor('b')];
  const queues: string[] = [];
  for (let c = 0; c < r.int(1, 2); c++) {
    for (let q = 0; q < r.int(2, 3); q++) {
      const name = `c${c}-q${q}`;
      queues.push(name);
      const quota = () => {
        const nominal = r.int(0, 4);
        const limits = r.next() < 0.3 ? { borrowingLimit: r.int(0, 3) } : {};
        return r.next() < 0.2 ? { nominal, ...limits, lendingLimit: r.int(0, nominal) } : { nominal, ...limits };
      };
      objects.push(
        ...queue(name, {
          cohort: `cohort-${c}`,
          flavors: r.next() < 0.5 ? { a: { [GPU]: quota() } } : { a: { [GPU]: quota() }, b: { [GPU]: quota() } },
          fairSharingWeight: r.pick([0, 0, 1, 2]),
          queueingStrategy: r.pick(['BestEffortFIFO', 'StrictFIFO']),
          preemption: {
            withinClusterQueue: r.pick(['Never', 'LowerPriority', 'LowerOrNewerEqualPriority']),
            reclaimWithinCohort: r.pick(['Never', 'LowerPriority', 'Any']),
          },
          flavorFungibility: {
            whenCanBorrow: r.pick(['Borrow', 'TryNextFlavor']),
            whenCanPreempt: r.pick(['Preempt', 'TryNextFlavor']),
          },
        }),
      );
    }
  }
  const workloads = Array.from({ length: r.int(3, 12) }, (_, i) => {
    const count = r.int(1, 4);
    return workload(`w${i}`, r.pick(queues), {
      priority: r.int(0, 3),
      arrival: r.int(0, 20),
      duration: r.int(5, 40),
      count,
      ...(r.next() < 0.3 && { minCount: r.int(1, count) }),
    });
  });
  return scenario({ objects, workloads, config: fair ? { fairSharing: { enable: true } } : undefined });
}

/** Cycles allowed in one scheduling pass before it counts as not ending by itself. */
const cycleCap = 500;
/** Preemptions of one workload allowed within one instant, when no input changes. */
const preemptionsPerInstant = 1;

/** Drives the engine through a scenario, checking that every pass ends and that quota is never over-committed. */
function drive(seed: number): string[] {
  const s = randomScenario(seed);
  const engine = new Engine(s.config, s.options);
  engine.cycleTimes = [];
  const problems: string[] = [];
  const events = s.workloads.map(
    w =>
      ({ time: w.arrival, arrive: w.workload } as { time: number; arrive?: Workload; finish?: string; run?: number }),
  );
  const duration = new Map(s.workloads.map(w => [w.workload.key, w.duration]));
  const runs = new Map<string, number>();
  let instants = 0;
  while (events.length > 0) {
    events.sort((a, b) => a.time - b.time);
    const now = events[0].time;
    while (events.length > 0 && events[0].time === now) {
      const e = events.shift()!;
      if (e.arrive) engine.submit(e.arrive);
      else if (engine.get(e.finish!)?.status === 'admitted' && runs.get(e.finish!) === e.run) engine.remove(e.finish!);
    }
    const before = engine.cycleTimes.length;
    const decisions: Decision[] = engine.schedule(now, cycleCap);
    if (engine.cycleTimes.length - before >= cycleCap)
      problems.push(`seed ${seed}: the pass at ${now} ms did not end by itself`);
    const preempted = new Map<string, number>();
    for (const d of decisions) {
      if (d.type === 'Preempted') preempted.set(d.workload, (preempted.get(d.workload) ?? 0) + 1);
      if (d.type !== 'Admitted') continue;
      const n = (runs.get(d.workload) ?? 0) + 1;
      runs.set(d.workload, n);
      events.push({ time: now + duration.get(d.workload)!, finish: d.workload, run: n });
    }
    for (const [key, n] of preempted)
      if (n > preemptionsPerInstant) problems.push(`seed ${seed}: ${key} preempted ${n} times at ${now} ms`);
    problems.push(...overCommitment(engine, seed, now));
    if (++instants > 10_000) {
      problems.push(`seed ${seed}: still running after 10,000 instants`);
      break;
    }
  }
  return problems;
}

/** Quota over-committed anywhere: a queue past nominal + borrowingLimit, or a cohort using more than it has. */
function overCommitment(engine: Engine, seed: number, now: number): string[] {
  const problems: string[] = [];
  const perCohort = new Map<string, { used: number; quota: number }>();
  for (const q of engine.usage()) {
    for (const r of q.resources) {
      if (r.borrowingLimit !== undefined && r.used > r.nominal + r.borrowingLimit)
        problems.push(
          `seed ${seed} at ${now}: ${q.clusterQueue} uses ${r.used} of ${r.flavor} past its borrowing limit`,
        );
      const key = `${q.cohort}/${r.flavor}/${r.resource}`;
      const c = perCohort.get(key) ?? { used: 0, quota: 0 };
      c.used += r.used;
      c.quota += r.nominal;
      perCohort.set(key, c);
    }
  }
  for (const [key, c] of perCohort)
    if (c.used > c.quota) problems.push(`seed ${seed} at ${now}: cohort ${key} uses ${c.used} of ${c.quota}`);
  return problems;
}

describe('guaranteed progress', () => {
  it('two fair-sharing queues of weight 0 in one cohort do not preempt each other forever', () => {
    const zero = (name: string) =>
      queue(name, {
        cohort: 'shared',
        fairSharingWeight: 0,
        flavors: { default: { [GPU]: 2 } },
        preemption: { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' },
      });
    const result = run({
      config: { fairSharing: { enable: true } },
      objects: [resourceFlavor('default'), ...zero('a'), ...zero('b')],
      workloads: [
        workload('a-big', 'a', { count: 4, duration: 100 }),
        workload('b-small', 'b', { count: 2, arrival: 10, duration: 100 }),
        workload('a-next', 'a', { count: 2, arrival: 20, duration: 100 }),
      ],
    });
    // b-small reclaims b's nominal quota once; nobody is preempted again while nothing changes.
    expect(timeline(result)).toEqual([
      '0 Admitted a-big',
      '10 Preempted a-big by b-small (InCohortReclamation)',
      '10 Admitted b-small',
      '20 Admitted a-next',
      '120 Admitted a-big',
    ]);
  });

  it('every run of 2,000 random fleets ends, preempts no workload twice in one instant and never over-commits', () => {
    const problems: string[] = [];
    for (let seed = 1; seed <= Number(process.env.SEEDS ?? 2000); seed++) problems.push(...drive(seed));
    expect(problems).toEqual([]);
  });
});
