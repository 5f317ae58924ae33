/* eslint-disable no-console */
/**
 * Writes the ETA accuracy scenarios, where every workload's declared run time
 * is what a user would say, not what happens:
 *   yarn workspace @ai-platform/scheduler bench:generate-eta [outDir]
 *
 * - examples/scenarios/noisy-teams.yaml (committed): three teams on a cohort
 *   for three days, each with its own habit.
 * - <outDir>/eta-kueue-baseline-noisy.yaml: one cohort of Kueue's baseline
 *   benchmark (its cohorts are independent) with noisy declarations.
 * - <outDir>/eta-demo-month.yaml: 30 days of the demo fleet's workload
 *   generator (examples/fleet/demo.yaml, cluster gpu-east) on the dev
 *   instance's queues (examples/queues/demo.yaml and demo-gpu-east.yaml).
 * - <outDir>/eta-kueue-baseline-noisy-2q.yaml and eta-demo-7d.yaml: the same
 *   with 2 of the cohort's 6 ClusterQueues, and 7 days, which measure in
 *   minutes (the full ones take an hour or more on two cores).
 *
 * Declarations are lognormal around the truth, ×/÷ 1.5 (log-sigma ln 1.5),
 * divided by the team's optimism (the truth runs that many times longer than
 * people say); some workloads declare nothing. Then `yarn simulate <file>`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { exponentialDraw, seededRandom, standardNormal } from '@ai-platform/backstage-plugin-ai-platform-common';
import { loadFleetFile, sampleDuration } from '@ai-platform/kube-sim';
import { kueueBenchmarks, kueueScenarioDocument } from '../src/simulator/kueueBenchmark';

const repo = resolve(__dirname, '../../..');
const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? join(__dirname, 'generated'));

const random = seededRandom(18);
const normal = () => standardNormal(random);
const exponential = (mean: number) => exponentialDraw(mean, random);

/** A team's habit: how much longer runs really take than declared, and how often it declares at all. */
interface Habit {
  optimism: number;
  declares: number;
}

function declared(truthSeconds: number, habit: Habit): number | undefined {
  if (random() >= habit.declares) return undefined;
  return Math.max(1, Math.round((truthSeconds / habit.optimism) * Math.exp(Math.log(1.5) * normal())));
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function write(file: string, header: string, doc: object) {
  writeFileSync(file, `${header}\n${stringify(doc, { lineWidth: 0 })}`);
  console.log(`${file}: ${(doc as { workloads: unknown[] }).workloads.length} workloads`);
}

function noisyTeams() {
  const teams: Array<{ name: string; habit: Habit; quota: number; medianSeconds: number }> = [
    { name: 'research', habit: { optimism: 2, declares: 0.9 }, quota: 16, medianSeconds: 5400 },
    { name: 'serving', habit: { optimism: 1.2, declares: 0.8 }, quota: 8, medianSeconds: 1800 },
    { name: 'batch', habit: { optimism: 1.5, declares: 0 }, quota: 8, medianSeconds: 1200 },
  ];
  const objects: object[] = [
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'h100' } },
  ];
  for (const t of teams) {
    objects.push(
      {
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'ClusterQueue',
        metadata: { name: t.name },
        spec: {
          cohort: 'gpus',
          namespaceSelector: {},
          preemption: { withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' },
          resourceGroups: [
            {
              coveredResources: ['nvidia.com/gpu'],
              flavors: [{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: t.quota }] }],
            },
          ],
        },
      },
      {
        apiVersion: 'kueue.x-k8s.io/v1beta1',
        kind: 'LocalQueue',
        metadata: { name: t.name, namespace: t.name },
        spec: { clusterQueue: t.name },
      },
    );
  }
  const workloads: object[] = [];
  const days = 3 * 86_400;
  for (const t of teams) {
    // Arrivals load the team's quota to about 95 % on average, so queues form and drain.
    const sizes = [1, 2, 4, 8];
    const meanGpuSeconds = (sizes.reduce((a, b) => a + b, 0) / sizes.length) * t.medianSeconds * Math.exp(0.5 * 0.36);
    const meanGap = meanGpuSeconds / (0.95 * t.quota);
    let i = 0;
    for (let at = exponential(meanGap); at < days; at += exponential(meanGap)) {
      const gpus = sizes[Math.floor(random() * sizes.length)];
      const truth = Math.max(60, Math.round(t.medianSeconds * Math.exp(0.6 * normal())));
      const declaredDuration = declared(truth, t.habit);
      workloads.push({
        name: `${t.name}-${i++}`,
        namespace: t.name,
        queue: t.name,
        team: t.name,
        kind: 'PyTorchJob',
        arrival: Math.round(at),
        duration: truth,
        ...(declaredDuration === undefined ? {} : { declaredDuration }),
        podSets: [{ name: 'workers', count: gpus, requests: { 'nvidia.com/gpu': 1 } }],
      });
    }
  }
  write(
    join(repo, 'examples/scenarios/noisy-teams.yaml'),
    `# Generated by plugins/ai-platform-scheduler/bench/generate-eta-scenarios.ts: three teams share 32 H100s
# through a cohort for three days. research declares half its real run times, serving
# is nearly right, batch declares nothing; every declaration is also off by a
# lognormal factor ×/÷ 1.5. \`duration\` is what happens; the engine and the ETA
# see only \`declaredDuration\` and the run times of finished workloads.`,
    { eta: { samples: 16, everySeconds: 60, minWaitSeconds: 60, warmUpRuns: 50 }, objects, workloads },
  );
}

function kueueBaselineNoisy(queuesPerCohort = kueueBenchmarks.baseline.queuesPerCohort) {
  // One of the baseline's five cohorts: they share nothing, so one behaves as each does, at a fifth of the cost.
  const doc = kueueScenarioDocument({ ...kueueBenchmarks.baseline, cohorts: 1, queuesPerCohort }) as {
    objects: object[];
    workloads: any[];
  };
  const habits: Habit[] = [
    { optimism: 1.5, declares: 0.9 },
    { optimism: 2, declares: 0.7 },
    { optimism: 1.1, declares: 1 },
  ];
  const queues = [...new Set(doc.workloads.map(w => w.queue as string))];
  for (const w of doc.workloads) {
    const habit = habits[queues.indexOf(w.queue) % habits.length];
    // Kueue's run times are under a second; keep declarations in milliseconds' precision.
    if (random() < habit.declares)
      w.declaredDuration = round((w.duration / habit.optimism) * Math.exp(Math.log(1.5) * normal()));
    w.team = w.namespace;
    w.kind = 'Job';
  }
  const small = queuesPerCohort !== kueueBenchmarks.baseline.queuesPerCohort;
  write(
    join(outDir, small ? `eta-kueue-baseline-noisy-${queuesPerCohort}q.yaml` : 'eta-kueue-baseline-noisy.yaml'),
    `# Kueue's baseline scheduler benchmark, one of its 5 independent cohorts (${queuesPerCohort} ClusterQueues${
      small ? ' of its 6' : ''
    }, ${doc.workloads.length} workloads), with noisy
# declared run times. Its run times are 0.2 to 1 s, so predictions are made every second and count
# from a wait of one second.`,
    { eta: { samples: 8, everySeconds: 1, minWaitSeconds: 1, warmUpRuns: small ? 100 : 300 }, ...doc },
  );
}

function demoMonth(days = 30) {
  const fleet = loadFleetFile(join(repo, 'examples/fleet/demo.yaml'));
  const cluster = 'gpu-east';
  // The shared objects, then the cluster's own ClusterQueues, as app-config.yaml loads them.
  const objects = ['demo.yaml', `demo-${cluster}.yaml`].flatMap(file =>
    parse(readFileSync(join(repo, 'examples/queues', file), 'utf8')),
  );
  const habits: Record<string, Habit> = {
    'ml-research': { optimism: 2, declares: 0.9 },
    'llm-serving': { optimism: 1.2, declares: 0.8 },
    'data-eng': { optimism: 1.5, declares: 0.5 },
    agents: { optimism: 1, declares: 0 },
  };
  // A stream that claims its GPUs through a DeviceClass counts as the quota resource
  // app-config.yaml maps that class to, as the dev instance's engine does.
  const mappings: Array<{ name: string; deviceClassNames: string[] }> =
    parse(readFileSync(join(repo, 'app-config.yaml'), 'utf8')).aiPlatform?.engine?.resources?.deviceClassMappings ?? [];
  const resourceOf = (s: { gpuResource?: string; deviceClass?: string }) => {
    if (!s.deviceClass) return s.gpuResource ?? 'nvidia.com/gpu';
    const mapped = mappings.find(m => m.deviceClassNames.includes(s.deviceClass!));
    if (!mapped) throw new Error(`app-config.yaml maps no quota resource to device class ${s.deviceClass}`);
    return mapped.name;
  };
  const month = days * 86_400;
  const workloads: object[] = [];
  for (const [id, s] of (fleet.generator?.streams ?? []).entries()) {
    if (s.clusters && !s.clusters.includes(cluster)) continue;
    const service = ['inference', 'agent', 'notebook'].includes(s.workload);
    const perPod = s.gpus ? s.gpusPerPod ?? 1 : 0;
    // As the generator does, at most maxActive live at once; here "live" means running its run time.
    const liveUntil: number[] = [];
    const arrivals: number[] = Array.from({ length: s.initial ?? 0 }, () => 0);
    for (let at = exponential(3600 / s.ratePerHour); at < month; at += exponential(3600 / s.ratePerHour))
      arrivals.push(at);
    for (const [i, at] of arrivals.entries()) {
      const live = liveUntil.filter(end => end > at);
      if (s.maxActive !== undefined && live.length >= s.maxActive) continue;
      let pods = 1;
      if (s.gpus && perPod > 0) {
        const steps = Math.floor((s.gpus.max - s.gpus.min) / perPod);
        pods = Math.max(1, Math.round((s.gpus.min + perPod * Math.floor(random() * (steps + 1))) / perPod));
      } else if (s.workload === 'spark') {
        pods = 2 + Math.floor(random() * 7);
      }
      const truth = Math.max(
        60,
        Math.round(
          sampleDuration(
            (service ? s.lifetime : s.duration) ??
              fleet.simulation?.defaultDuration ?? { distribution: 'fixed', seconds: 1800 },
            random,
          ),
        ),
      );
      liveUntil.splice(0, liveUntil.length, ...live, at + truth);
      const requests: Record<string, string | number> = perPod
        ? { [resourceOf(s)]: perPod }
        : { cpu: 4, memory: '16Gi' };
      const declaredDuration = service ? undefined : declared(truth, habits[s.team]);
      workloads.push({
        name: `${s.kind.toLowerCase()}-${id}-${i}`,
        namespace: s.namespace ?? `team-${s.team}`,
        queue: s.queue ?? s.team,
        team: s.team,
        kind: s.kind,
        arrival: Math.round(at),
        duration: truth,
        ...(declaredDuration === undefined ? {} : { declaredDuration }),
        podSets: [
          {
            name: 'main',
            count: pods,
            requests,
            ...(s.gpuProduct ? { nodeSelector: { 'nvidia.com/gpu.product': s.gpuProduct } } : {}),
          },
        ],
      });
    }
  }
  write(
    join(outDir, days === 30 ? 'eta-demo-month.yaml' : `eta-demo-${days}d.yaml`),
    `# ${days} days of the demo fleet's workload generator (examples/fleet/demo.yaml, cluster ${cluster}) on the dev
# instance's queues, with noisy declared run times per team (services declare none).`,
    { eta: { samples: 16, everySeconds: 60, minWaitSeconds: 60, warmUpRuns: 50 }, objects, workloads },
  );
}

mkdirSync(outDir, { recursive: true });
noisyTeams();
kueueBaselineNoisy();
demoMonth();
// Smaller ones that measure in minutes on a small machine (the full ones take an hour or more).
kueueBaselineNoisy(2);
demoMonth(7);
