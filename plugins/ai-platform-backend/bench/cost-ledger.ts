/* eslint-disable no-console */
/**
 * Cost ledger benchmark: a generated year of usage on 2,000 GPUs (500,000
 * workloads on two clusters, random pod uids), ingested in the order the
 * pods finish, 5,000 at a time split by cluster and written side by side as
 * the ingestor does, into SQLite (in memory, as the dev instance runs, and in a file)
 * and, when AIP_TEST_POSTGRES_URL is set (as scripts/lib/postgres.sh does),
 * PostgreSQL; then the 30-day per-team-per-day showback query, 20 times.
 *   yarn workspace @ai-platform/backstage-plugin-ai-platform-backend bench:costs [workloads] [gpus]
 * A tenth of both (50000 200) keeps each workload's shape, for a quick run.
 */
import knexFactory, { Knex } from 'knex';
import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { seededRandom } from '@ai-platform/backstage-plugin-ai-platform-common';
import { CostDatabase } from '../src/database/CostDatabase';
import type { GpuInterval } from '../src/costs/intervals';
import { PriceBook } from '../src/costs/pricing';

const YEAR_MS = 365 * 86_400_000;
const start = Date.parse('2025-11-23T00:00:00Z');
const workloads = Number(process.argv[2] ?? 500_000);
const gpus = Number(process.argv[3] ?? 2_000);
const teams = ['ml-research', 'llm-serving', 'data-eng', 'agents', 'vision', 'speech', 'recsys', 'platform'];
const clusters = ['gpu-east', 'gpu-west'];
const products = ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-A100-SXM4-80GB', 'NVIDIA-L4'];

/** A pod uid shaped like the API server's (random, so the ledger's keys arrive in no order). */
const uuidOf = (rnd: () => number) =>
  Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16))
    .join('')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');

/** A year of workloads, in the order the ingestor sees them close. */
function generate(): GpuInterval[] {
  const rnd = seededRandom(42);
  // The GPUs busy ~70 % of a year: mean GPU-hours per workload follows.
  const year = Array.from({ length: workloads }, (_, i): GpuInterval => {
    const count = [1, 1, 2, 4, 8, 8, 16][Math.floor(rnd() * 7)];
    const duration = Math.floor((rnd() * 2 * (gpus * 0.7 * YEAR_MS)) / workloads / count);
    const begin = start + Math.floor(rnd() * (YEAR_MS - duration));
    return {
      podUid: uuidOf(rnd),
      resource: 'nvidia.com/gpu',
      cluster: clusters[i % clusters.length],
      namespace: `ns-${i % 40}`,
      pod: `w-${i}-0`,
      workload: `w-${i}`,
      team: teams[i % teams.length],
      queue: `q-${i % 16}`,
      flavor: undefined,
      gpuProduct: products[i % products.length],
      count,
      shareNum: 1,
      shareDen: 1,
      start: begin,
      end: begin + Math.max(60_000, duration),
    };
  });
  return year.sort((a, b) => a.end! - b.end!);
}

async function run(name: string, db: Knex, intervals: GpuInterval[]) {
  const ledger = await CostDatabase.create(db, PriceBook.withDefaults());
  const t = performance.now();
  for (let i = 0; i < intervals.length; i += 5000) {
    // Each cluster's share of the batch, side by side, as the ingestor syncs clusters.
    const batch = intervals.slice(i, i + 5000);
    await Promise.all(
      clusters.map(c =>
        ledger.ingest(
          batch.filter(x => x.cluster === c),
          start + YEAR_MS,
        ),
      ),
    );
  }
  const ingestS = (performance.now() - t) / 1000;
  const now = start + YEAR_MS;
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 20; i++) {
    const q = performance.now();
    rows = (await ledger.showback({ from: now - 30 * 86_400_000, to: now, aggregate: 'team', now })).length;
    times.push(performance.now() - q);
  }
  console.log(
    `| ${name} | ${intervals.length} | ${(intervals.length / ingestS).toFixed(0)} intervals/s (${ingestS.toFixed(
      1,
    )} s) | ${percentile(times, 50).toFixed(0)} ms | ${percentile(times, 95).toFixed(0)} ms | ${rows} |`,
  );
  await db.destroy();
}

async function main() {
  const intervals = generate();
  console.log(`${workloads} workloads on ${gpus} GPUs over a year; showback: 30 days, per team per day\n`);
  console.log('| database | intervals | ingest rate | showback p50 | showback p95 | rows |');
  console.log('|---|---|---|---|---|---|');
  await run(
    'SQLite (memory, as the dev instance)',
    knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true }),
    intervals,
  );
  await run(
    'SQLite (file)',
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename: `/tmp/aip-cost-bench-${process.pid}.sqlite` },
      useNullAsDefault: true,
    }),
    intervals,
  );
  const pg = process.env.AIP_TEST_POSTGRES_URL;
  if (pg) {
    const admin = knexFactory({ client: 'pg', connection: pg });
    const database = `aip_cost_bench_${process.pid}`;
    await admin.raw(`CREATE DATABASE ${database}`);
    await admin.destroy();
    await run('PostgreSQL 15', knexFactory({ client: 'pg', connection: `${pg}/${database}` }), intervals);
  } else {
    console.log('(PostgreSQL skipped: start one with `source scripts/lib/postgres.sh && postgres_start`)');
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
