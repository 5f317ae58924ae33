/* eslint-disable no-console */
/**
 * How long measuring ETA accuracy takes, and whether a change kept its
 * figures: runs each scenario's simulation with the ETA measured `--runs`
 * times (default 3) and prints the median wall and CPU time, with a
 * fingerprint of summary.eta and every workload's ETA at submission:
 *   yarn workspace @ai-platform/scheduler bench:eta-speed [--runs N] [--save out.json] [--against before.json] <scenario.yaml>...
 * `--save` writes the figures; `--against` compares with a saved file
 * (before ÷ after ratios, and whether the fingerprints are the same).
 * Defaults to examples/scenarios/noisy-teams.yaml; the Kueue 2-queue cut
 * comes from `bench:generate-eta`. Run it alone, under `nice`: the times
 * are the machine's, not only this code's.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { parseScenario } from '../src/simulator/scenario';
import { simulate } from '../src/simulator/simulate';

interface Timing {
  wallMs: number;
  cpuMs: number;
  fingerprint: string;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const here = (file: string) => resolve(process.env.INIT_CWD ?? process.cwd(), file);
const runs = Number(option('--runs') ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${option('--runs')}`);
const flags = new Set(['--runs', '--save', '--against'].flatMap(f => [f, option(f)]));
const files = process.argv.slice(2).filter(a => !flags.has(a));
if (files.length === 0) files.push(resolve(__dirname, '../../../examples/scenarios/noisy-teams.yaml'));

function measure(file: string): Timing {
  const scenario = parseScenario(readFileSync(here(file), 'utf8'), file);
  const times: Array<{ wallMs: number; cpuMs: number }> = [];
  let fingerprint = '';
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = simulate(scenario, { eta: true, events: false });
    const used = process.cpuUsage(cpu);
    times.push({ wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
    const etas = Object.entries(result.workloads).map(([key, w]) => [
      key,
      w.etaAtSubmit,
      w.etaP10AtSubmit,
      w.etaP90AtSubmit,
    ]);
    const run = createHash('sha256')
      .update(JSON.stringify([result.summary.eta, etas]))
      .digest('hex')
      .slice(0, 16);
    if (fingerprint && run !== fingerprint) throw new Error(`${file}: run ${i + 1} gave other ETA figures than run 1`);
    fingerprint = run;
    console.error(`${basename(file)} run ${i + 1}: ${(times[i].wallMs / 1000).toFixed(1)} s wall`);
  }
  return {
    wallMs: Math.round(
      percentile(
        times.map(t => t.wallMs),
        50,
      ),
    ),
    cpuMs: Math.round(
      percentile(
        times.map(t => t.cpuMs),
        50,
      ),
    ),
    fingerprint,
  };
}

const against = option('--against');
const before: Record<string, Timing> = against ? JSON.parse(readFileSync(here(against), 'utf8')) : {};
const results: Record<string, Timing> = {};
console.log(
  `| scenario | median wall s | median CPU s | ETA fingerprint |${
    against ? ' wall ratio | CPU ratio | same figures |' : ''
  }`,
);
console.log(`|---|---|---|---|${against ? '---|---|---|' : ''}`);
for (const file of files) {
  const t = (results[basename(file)] = measure(file));
  const b = before[basename(file)];
  let compared = against ? ' – | – | not in the saved file |' : '';
  if (b)
    compared = ` ${(b.wallMs / t.wallMs).toFixed(2)} | ${(b.cpuMs / t.cpuMs).toFixed(2)} | ${
      b.fingerprint === t.fingerprint ? 'yes' : 'NO'
    } |`;
  console.log(
    `| ${basename(file)} | ${(t.wallMs / 1000).toFixed(1)} | ${(t.cpuMs / 1000).toFixed(1)} | ${
      t.fingerprint
    } |${compared}`,
  );
}
const save = option('--save');
if (save) writeFileSync(here(save), `${JSON.stringify(results, null, 2)}\n`);
