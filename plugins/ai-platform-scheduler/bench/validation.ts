/* eslint-disable no-console */
/**
 * Times scenario validation (issue #15): the median of 5 runs of
 * scenarioFromDocument on already parsed documents, and of parseQueueObjects
 * on the large scenario's Kueue objects.
 *   yarn workspace @ai-platform/scheduler bench:validation [eta-demo-month.yaml]
 * The ETA scenario is written by bench:generate-eta (default: bench/generated/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseQueueObjects } from '../src/config/parse';
import { kueueBenchmarks, kueueScenarioDocument } from '../src/simulator/kueueBenchmark';
import { scenarioFromDocument } from '../src/simulator/scenario';

const runs = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall and CPU milliseconds of `runs` calls (CPU time grows less when other processes share the machine). */
function medianMs(fn: () => unknown): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    fn();
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function report(label: string, { wall, cpu }: { wall: number; cpu: number }) {
  console.log(`| ${label} | ${wall.toFixed(1)} ms | ${cpu.toFixed(1)} ms |`);
}

console.log(`| validation (median of ${runs}) | wall time | CPU time |`);
console.log('|---|---|---|');

const large = kueueScenarioDocument(kueueBenchmarks['large-scale']);
report(
  `scenarioFromDocument, kueue-large-scale (${large.workloads.length} workloads)`,
  medianMs(() => scenarioFromDocument(large, 'kueue-large-scale')),
);
report(
  `parseQueueObjects, kueue-large-scale (${large.objects.length} objects)`,
  medianMs(() => parseQueueObjects(large.objects)),
);

const etaFile = resolve(
  process.env.INIT_CWD ?? process.cwd(),
  process.argv[2] ?? join(__dirname, 'generated', 'eta-demo-month.yaml'),
);
if (existsSync(etaFile)) {
  const eta = parse(readFileSync(etaFile, 'utf8'), { maxAliasCount: -1 });
  report(
    `scenarioFromDocument, eta-demo-month (${eta.workloads.length} workloads)`,
    medianMs(() => scenarioFromDocument(eta, 'eta-demo-month')),
  );
} else {
  console.log(`| eta-demo-month | ${etaFile} is missing; write it with bench:generate-eta | |`);
}
