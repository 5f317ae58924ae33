/* eslint-disable no-console */
/**
 * Where an ETA scenario's error comes from: runs it with the ETA measured,
 * then again with every declaration equal to the truth (the run-time model
 * then knows each run time exactly, so what error is left is the queue
 * model's), and prints the relative error at submission by wait length,
 * queue, priority and whether later arrivals were admitted first:
 *   yarn workspace @ai-platform/scheduler bench:eta-breakdown <scenario.yaml> [--no-exact | --exact-only]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { parseScenario, type Scenario } from '../src/simulator/scenario';
import { simulate, type SimulationResult } from '../src/simulator/simulate';

const file = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? '');
const scenario = parseScenario(readFileSync(file, 'utf8'), file);

interface Row {
  key: string;
  wait: number;
  error: number;
  covered: boolean;
  early: boolean;
  groups: Record<string, string>;
}

/** Wait lengths (seconds) by their upper bound. */
const waitBuckets: Array<[number, string]> = [
  [1, '< 1 s'],
  [10, '1-10 s'],
  [600, '10 s-10 min'],
  [3600, '10-60 min'],
  [4 * 3600, '1-4 h'],
  [Infinity, '> 4 h'],
];

function rows(s: Scenario, result: SimulationResult, minWait: number): Row[] {
  const byKey = new Map(s.workloads.map(w => [w.workload.key, w]));
  const admitted = [...byKey.keys()]
    .map(key => ({ key, at: result.workloads[key].admittedAt }))
    .filter((x): x is { key: string; at: number } => x.at !== undefined);
  const out: Row[] = [];
  for (const [key, r] of Object.entries(result.workloads)) {
    if (r.admittedAt === undefined || r.etaAtSubmit === undefined || r.timeToAdmission! < minWait) continue;
    const w = byKey.get(key)!;
    const cq = s.config.localQueues.get(`${w.workload.namespace}/${w.workload.queue}`)?.clusterQueue ?? '';
    const cohort = s.config.clusterQueues.get(cq)?.cohort ?? cq;
    // Later arrivals admitted before it, in its cohort: work the forward simulation could not see.
    const overtakers = admitted.filter(o => {
      const ow = byKey.get(o.key)!;
      const ocq = s.config.localQueues.get(`${ow.workload.namespace}/${ow.workload.queue}`)?.clusterQueue ?? '';
      return (
        ow.arrival > w.arrival && o.at < r.admittedAt! && (s.config.clusterQueues.get(ocq)?.cohort ?? ocq) === cohort
      );
    });
    const higher = overtakers.filter(o => byKey.get(o.key)!.workload.priority > w.workload.priority).length;
    const wait = r.timeToAdmission!;
    const predicted = r.etaAtSubmit - r.arrival;
    out.push({
      key,
      wait,
      error: Math.abs(predicted - wait) / wait,
      covered: r.etaP10AtSubmit !== undefined && r.admittedAt >= r.etaP10AtSubmit && r.admittedAt <= r.etaP90AtSubmit!,
      early: predicted < wait,
      groups: {
        wait: waitBuckets.find(([below]) => wait < below)![1],
        queue: w.workload.queue,
        priority: String(w.workload.priority),
        overtaken: [
          [higher > 0, 'by higher priority'],
          [overtakers.length > 0, 'by equal or lower'],
          [true, 'not overtaken'],
        ].find(([yes]) => yes)![1] as string,
        preempted: r.preemptions > 0 ? 'preempted' : 'never preempted',
      },
    });
  }
  return out;
}

function table(title: string, all: Row[]) {
  console.log(`\n### ${title}: ${all.length} workloads`);
  console.log('| group | n | median error | p90 error | predicted early | coverage |');
  console.log('|---|---|---|---|---|---|');
  const line = (name: string, rs: Row[]) =>
    console.log(
      `| ${name} | ${rs.length} | ${percentile(
        rs.map(r => r.error),
        50,
      ).toFixed(3)} | ${percentile(
        rs.map(r => r.error),
        90,
      ).toFixed(3)} | ${((100 * rs.filter(r => r.early).length) / rs.length).toFixed(0)} % | ${(
        (100 * rs.filter(r => r.covered).length) /
        rs.length
      ).toFixed(0)} % |`,
    );
  line('all', all);
  for (const dim of Object.keys(all[0]?.groups ?? {})) {
    const by = new Map<string, Row[]>();
    for (const r of all) by.set(r.groups[dim], [...(by.get(r.groups[dim]) ?? []), r]);
    for (const [value, rs] of [...by].sort()) line(`${dim}: ${value}`, rs);
  }
}

function run(title: string, s: Scenario) {
  const started = performance.now();
  const result = simulate(s, { eta: true, events: false });
  const eta = result.summary.eta!;
  console.log(
    `\n## ${title} (${((performance.now() - started) / 1000).toFixed(1)} s): median ${eta.medianRelativeError}, p90 ${
      eta.p90RelativeError
    }, coverage ${eta.intervalCoverage}; declared-only median ${eta.declaredOnly.medianRelativeError}`,
  );
  table(title, rows(s, result, eta.settings.minWaitSeconds));
}

// --no-exact: only as declared; --exact-only: only with run times known exactly.
if (!process.argv.includes('--exact-only')) run('as declared', scenario);
if (!process.argv.includes('--no-exact'))
  run('run times known exactly (declared = actual)', {
    ...scenario,
    workloads: scenario.workloads.map(w => ({ ...w, declaredDuration: w.duration })),
  });
