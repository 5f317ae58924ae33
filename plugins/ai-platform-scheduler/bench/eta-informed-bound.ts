/* eslint-disable no-console */
/**
 * How good an ETA can get when run times are only declared: runs a scenario
 * with the ETA measured, the run-time model replaced by an "informed"
 * predictor that knows the distributions the scenario was drawn from (each
 * team × kind's true run times, each team's optimism and declaration noise,
 * fitted on the whole scenario's truth) but not the run time of the workload
 * it predicts: the posterior of that run time given its declaration. The
 * rest (Monte Carlo forward simulation, later arrivals, wait calibration) is
 * the product's. A benchmark-only oracle, never product code:
 *   yarn workspace @ai-platform/scheduler bench:eta-informed-bound <scenario.yaml> [--as-declared]
 * (--as-declared also runs the product's own model, for the comparison.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario, type Scenario } from '../src/simulator/scenario';
import { simulate } from '../src/simulator/simulate';
import { RunTimeModel, type RunTimeFacts, type RunTimePrediction } from '../src/runtime/RunTimeModel';
import { lognormalQuantiles } from '../src/runtime/quantiles';

const file = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? '');
const scenario = parseScenario(readFileSync(file, 'utf8'), file);

/** Mean and variance of a list. */
function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, variance };
}

/** The generative distributions, fitted on every workload's truth: log run time per team × kind, log(declared ÷ truth) per team. */
function generative(s: Scenario) {
  const truth = new Map<string, number[]>();
  const habit = new Map<string, number[]>();
  for (const w of s.workloads) {
    const team = w.team ?? w.workload.namespace;
    const key = `${team}|${w.kind ?? ''}`;
    truth.set(key, [...(truth.get(key) ?? []), Math.log(w.duration)]);
    if (w.declaredDuration) habit.set(team, [...(habit.get(team) ?? []), Math.log(w.declaredDuration / w.duration)]);
  }
  const fit = <K>(m: Map<K, number[]>) => new Map([...m].map(([k, xs]) => [k, moments(xs)]));
  return { truth: fit(truth), habit: fit(habit) };
}

const { truth, habit } = generative(scenario);

/** The posterior (lognormal) of a workload's run time given what it declares, under the generative distributions. */
function informed(facts: RunTimeFacts): RunTimePrediction {
  const prior = truth.get(`${facts.team ?? ''}|${facts.kind ?? ''}`) ?? { mean: Math.log(3600_000), variance: 1 };
  let { mean, variance } = prior;
  const h = habit.get(facts.team ?? '');
  if (facts.declaredSeconds && h && h.variance > 0 && variance > 0) {
    // log declared = log truth + bias + noise: a second, independent measurement of log truth.
    const measured = Math.log(facts.declaredSeconds * 1000) - h.mean;
    const precision = 1 / variance + 1 / h.variance;
    mean = (prior.mean / variance + measured / h.variance) / precision;
    variance = 1 / precision;
  }
  const median = Math.exp(mean) / 1000;
  const sigma = Math.sqrt(variance);
  return {
    source: 'history',
    basis: 'informed: the generative posterior',
    median,
    sigma,
    ...lognormalQuantiles(median, sigma),
  };
}

function run(title: string) {
  const started = performance.now();
  const eta = simulate(scenario, { eta: true, events: false }).summary.eta!;
  console.log(
    `${title} (${((performance.now() - started) / 1000).toFixed(0)} s): measured ${eta.measured}, median ${
      eta.medianRelativeError
    }, p90 ${eta.p90RelativeError}, coverage ${eta.intervalCoverage}; declared-only median ${
      eta.declaredOnly.medianRelativeError
    }`,
  );
}

if (process.argv.includes('--as-declared')) run('the product model');
for (const [key, t] of truth)
  console.log(`${key}: true log run time mean ${t.mean.toFixed(2)}, sigma ${Math.sqrt(t.variance).toFixed(2)}`);
for (const [team, h] of habit)
  console.log(
    `${team}: declares ×${Math.exp(h.mean).toFixed(2)} of the truth, log-sigma ${Math.sqrt(h.variance).toFixed(2)}`,
  );
// Every RunTimeModel the simulation makes predicts from the generative posterior (it still counts finished runs for warm-up).
RunTimeModel.prototype.predict = informed;
run('informed run times');
