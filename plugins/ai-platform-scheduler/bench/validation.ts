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

function medianMs(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

function report(label: string, ms: number) {
  console.log(`| ${label} | ${ms.toFixed(1)} ms |`);
}

console.log(`| validation (median of ${runs}) | time |`);
console.log('|---|---|');

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
  console.log(`| eta-demo-month | ${etaFile} is missing; write it with bench:generate-eta |`);
}
