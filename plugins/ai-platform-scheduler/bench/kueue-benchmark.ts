/* eslint-disable no-console */
/**
 * Replays Kueue's scheduler benchmark in virtual time and prints this
 * engine's figures beside Kueue's published ones. Run on demand:
 *   yarn workspace @ai-platform/scheduler bench
 */
import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { Engine } from '../src/engine/Engine';
import { scenarioFromDocument } from '../src/simulator/scenario';
import { simulate } from '../src/simulator/simulate';
import {
  KueueBenchmarkConfig,
  kueueBenchmarks,
  kueueScenarioDocument,
  makespanBound,
} from '../src/simulator/kueueBenchmark';

/** Kueue's published averages for configs/baseline (rangespec.yaml, five trial runs). */
const kueueBaseline = { wallSeconds: 351.1, usagePercent: 58.7, tta: { large: 6.7, medium: 76.8, small: 215.5 } };

function run(config: KueueBenchmarkConfig) {
  const doc = kueueScenarioDocument(config);
  const parseStart = performance.now();
  const scenario = scenarioFromDocument(doc, `${config.name} (generated)`);
  const parseMs = performance.now() - parseStart;
  const cpuStart = process.cpuUsage();
  const result = simulate(scenario, { events: false, measureCycles: true });
  const cpu = process.cpuUsage(cpuStart);
  // CPU time, unlike wall time, does not grow when other processes share the machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bound = makespanBound(config);
  const s = result.summary;
  const cycles = result.cycleTimes ?? [];
  console.log(
    `\n## ${config.name}: ${config.cohorts} cohorts x ${config.queuesPerCohort} ClusterQueues, ${scenario.workloads.length} workloads`,
  );
  console.log(`| figure | this engine | Kueue (published) | target |`);
  console.log(`|---|---|---|---|`);
  const kueue = config.name === 'baseline';
  console.log(
    `| makespan (virtual s) | ${s.makespan.toFixed(1)} (${((s.makespan / bound - 1) * 100).toFixed(
      1,
    )} % over the ${bound.toFixed(1)} s bound) | ${
      kueue ? `${kueueBaseline.wallSeconds} (wall)` : '-'
    } | within 15 % of the bound |`,
  );
  console.log(
    `| ClusterQueue usage | ${s.usage.cpu.toFixed(1)} % | ${kueue ? `${kueueBaseline.usagePercent} %` : '-'} | |`,
  );
  for (const cls of ['large', 'medium', 'small'] as const) {
    const t = s.timeToAdmission.byClass?.[cls];
    console.log(
      `| mean time to admission, ${cls} (p95) | ${t?.mean.toFixed(2)} s (${t?.p95.toFixed(2)} s) | ${
        kueue ? `${kueueBaseline.tta[cls]} s` : '-'
      } | ${cls === 'large' ? 'under 5 s' : ''} |`,
    );
  }
  console.log(`| workloads admitted / finished | ${s.admitted} / ${s.finished} | | all |`);
  console.log(
    `| simulation wall time | ${(s.wallMs / 1000).toFixed(2)} s (${cpuSeconds.toFixed(2)} s of CPU; + ${(
      parseMs / 1000
    ).toFixed(2)} s validating the scenario) | | ${config.name === 'large-scale' ? 'under 30 s' : ''} |`,
  );
  console.log(
    `| scheduling cycles: count, p50, p99 | ${cycles.length}, ${percentile(cycles, 50).toFixed(3)} ms, ${percentile(
      cycles,
      99,
    ).toFixed(3)} ms | | |`,
  );
}

/** A full fleet: every queue busy, 50,000 workloads pending; one workload finishes before each measured pass. */
function cycleWithPending(config: KueueBenchmarkConfig, pending: number) {
  const scenario = scenarioFromDocument(kueueScenarioDocument(config), 'cycle benchmark');
  const engine = new Engine(scenario.config, scenario.options);
  for (const w of scenario.workloads) engine.submit({ ...w.workload, creationTime: 0 });
  engine.schedule(0);
  // Counted from the states: pending() would explain every workload each time.
  const waiting = () => [...engine.workloads()].filter(s => s.status === 'pending').length;
  let extra = 0;
  while (waiting() < pending) {
    const w = scenario.workloads[extra % scenario.workloads.length].workload;
    engine.submit({ ...w, key: `${w.key}-x${extra}`, name: `${w.name}-x${extra}`, creationTime: 1 });
    extra++;
  }
  engine.cycleTimes = [];
  const passes: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < 500; i++) {
    const admitted = [...engine.workloads()].filter(s => s.status === 'admitted');
    engine.remove(admitted[(i * 7919) % admitted.length].workload.key);
    const started = performance.now();
    engine.schedule(10 + i);
    passes.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuStart);
  const cycles = engine.cycleTimes;
  console.log(
    `\n## one scheduling pass with ${waiting()} pending workloads in ${
      config.cohorts * config.queuesPerCohort
    } ClusterQueues (500 passes)`,
  );
  console.log(`| figure | p50 | p99 | max | target |`);
  console.log(`|---|---|---|---|---|`);
  console.log(
    `| one cycle | ${percentile(cycles, 50).toFixed(3)} ms | ${percentile(cycles, 99).toFixed(3)} ms | ${Math.max(
      ...cycles,
    ).toFixed(3)} ms | p99 under 10 ms |`,
  );
  console.log(
    `| a pass (cycles until quiet) | ${percentile(passes, 50).toFixed(3)} ms | ${percentile(passes, 99).toFixed(
      3,
    )} ms | ${Math.max(...passes).toFixed(3)} ms | |`,
  );
  console.log(
    `| CPU per pass, mean (unlike wall time, not inflated by a shared machine) | ${(
      (cpu.user + cpu.system) /
      1000 /
      passes.length
    ).toFixed(3)} ms | | | |`,
  );
}

const only = process.argv[2];
for (const config of Object.values(kueueBenchmarks)) if (!only || only === config.name) run(config);
if (!only || only === 'cycle') cycleWithPending(kueueBenchmarks['large-scale'], 50_000);
