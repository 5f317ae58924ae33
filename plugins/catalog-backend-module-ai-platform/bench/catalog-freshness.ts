/**
 * How fresh the catalog is with 20,000 AI workloads: starts the real catalog
 * backend (SQLite in memory, or PostgreSQL with AIP_TEST_POSTGRES_URL) with
 * this module, pointed through discovery at a real HTTP server that answers
 * the ai-platform routes, then measures
 *   - the initial load: the first full mutation into an empty catalog, and the
 *     time until the catalog has processed and serves every entity;
 *   - the scheduled full reconciliation over a catalog that has them all,
 *     with 1 % of the workloads changed, and until a changed one is served;
 *   - freshness: new workloads appear at the fake backend while the delta
 *     poll runs, and the time until the catalog serves each one is recorded;
 *   - the backlog: entities waiting for processing (refresh_state rows due).
 *
 * Run: yarn workspace @ai-platform/backstage-plugin-catalog-backend-module-ai-platform bench
 * Options (env): BENCH_WORKLOADS (20000), BENCH_NEW (60), BENCH_DELTA_MS (5000),
 * BENCH_PROCESSING_INTERVAL_S (catalog.processingInterval; default 1800, since
 * with the catalog's default of 100-150 s every processed entity is due again
 * before 20,000 have been processed once on a small machine).
 */
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { percentile, workloadEntityTypes } from '@ai-platform/backstage-plugin-ai-platform-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import knexFactory, { type Knex } from 'knex';
import type { AddressInfo } from 'node:net';
import catalogModuleAiPlatform from '../src';
import { FakeAiPlatformBackend } from '../src/__testUtils__/FakeAiPlatformBackend';
import { manualScheduler } from '../src/__testUtils__/mockScheduler';

const total = Number(process.env.BENCH_WORKLOADS ?? 20000);
const newWorkloads = Number(process.env.BENCH_NEW ?? 60);
const deltaMs = Number(process.env.BENCH_DELTA_MS ?? 5000);
const processingIntervalS = Number(process.env.BENCH_PROCESSING_INTERVAL_S ?? 1800);
const clusters = ['gpu-east', 'gpu-west', 'gpu-north', 'gpu-south'];
const teams = Array.from({ length: 40 }, (_, i) => `team-${i}`);

function workload(i: number, createdAt: string): WorkloadSummary {
  const team = teams[i % teams.length];
  const entityType = workloadEntityTypes[i % workloadEntityTypes.length];
  return {
    cluster: clusters[i % clusters.length],
    namespace: team,
    kind: entityType === 'inference-service' ? 'InferenceService' : 'Job',
    name: `wl-${i}`,
    apiVersion: 'batch/v1',
    uid: `uid-${i}`,
    entityType,
    team: i % 50 === 0 ? undefined : team,
    queue: `${team}-queue`,
    clusterQueue: 'shared',
    priority: i % 3,
    state: i % 4 === 0 ? 'Pending' : 'Running',
    createdAt,
    podSets: [{ name: 'main', count: 1, requests: { 'nvidia.com/gpu': 1 } }],
    gpus: 1,
    conditions: [],
    // One in ten is a run of a component that already exists.
    ...(i % 10 === 9 ? { entityRef: `component:default/template-${i % 7}` } : {}),
  };
}

async function main() {
  const fake = new FakeAiPlatformBackend();
  const now = new Date().toISOString();
  fake.workloads = Array.from({ length: total }, (_, i) => workload(i, now));
  fake.clusters = clusters.map(name => ({
    name,
    mode: 'admit',
    connected: true,
    leader: true,
    nodes: 100,
    flavors: [
      {
        cluster: name,
        name: 'h100',
        nodeLabels: {},
        gpuProduct: 'NVIDIA-H100-80GB-HBM3',
        capacity: { 'nvidia.com/gpu': 800 },
        allocated: {},
      },
    ],
  }));
  fake.queues = {
    clusterQueues: clusters.map(cluster => ({
      cluster,
      name: 'shared',
      cohort: 'all',
      queueingStrategy: 'BestEffortFIFO',
      stopPolicy: 'None',
      resources: [],
      fairShare: 0,
      pending: 0,
      admitted: 0,
      localQueues: teams.map(team => ({ namespace: team, name: `${team}-queue`, team })),
    })),
    cohorts: [],
  };
  await fake.start();

  const pgUrl = process.env.AIP_TEST_POSTGRES_URL;
  const knex: Knex = pgUrl
    ? knexFactory({ client: 'pg', connection: `${pgUrl}/postgres`, pool: { min: 0, max: 20 } })
    : knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  const scheduler = manualScheduler();
  let catalogBaseUrl = '';
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleAiPlatform,
      mockServices.database.factory({ knex }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { seconds: processingIntervalS },
            providers: {
              aiPlatform: {
                schedule: { frequency: { hours: 1 }, timeout: { minutes: 30 }, initialDelay: { seconds: 0 } },
                deltaInterval: { milliseconds: deltaMs },
              },
            },
          },
        },
      }),
      fake.discoveryFactory(() => catalogBaseUrl),
    ],
  });
  catalogBaseUrl = `http://localhost:${(backend.server.address() as AddressInfo).port}`;
  const headers = { Authorization: mockCredentials.user.header() };

  const served = async () => {
    const res = await fetch(
      `${catalogBaseUrl}/api/catalog/entities/by-query?limit=1&filter=metadata.annotations.ai-platform.io/cluster`,
      { headers },
    );
    return ((await res.json()) as { totalItems: number }).totalItems;
  };
  const backlog = async () => {
    const [{ count }] = await knex('refresh_state').where('next_update_at', '<=', knex.fn.now()).count({ count: '*' });
    return Number(count);
  };

  const fullStart = Date.now();
  await scheduler.triggerTask('ai-platform:full');
  const fullMutationMs = Date.now() - fullStart;
  const [{ expected }] = await knex('refresh_state').count({ expected: '*' });
  console.log(
    `full mutation applied: ${expected} entities in ${fullMutationMs} ms ` +
      `(database: ${pgUrl ? 'PostgreSQL' : 'SQLite'}, catalog.processingInterval ${processingIntervalS} s)`,
  );
  let lastLog = 0;
  for (;;) {
    const count = await served();
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      console.log(
        `  t+${((Date.now() - fullStart) / 1000).toFixed(
          0,
        )} s: ${count}/${expected} served, backlog ${await backlog()}`,
      );
    }
    if (count >= Number(expected)) break;
    if (Date.now() - fullStart > 30 * 60_000) throw new Error('catalog did not serve every entity within 30 minutes');
    await new Promise(r => setTimeout(r, 1000));
  }
  const fullServedMs = Date.now() - fullStart;
  console.log(
    `initial load: all ${expected} entities served ${fullServedMs} ms after the first full run started (the catalog's own processing)`,
  );

  // The scheduled full reconciliation, over a catalog that has everything: 1 % of the workloads changed state since.
  const runs: number[] = [];
  const servedAfter: number[] = [];
  for (let round = 1; round <= 3; round++) {
    const changed = fake.workloads.filter((_, i) => i % 100 === round);
    for (const w of changed) w.state = w.state === 'Running' ? 'Succeeded' : 'Running';
    const t = Date.now();
    await scheduler.triggerTask('ai-platform:full');
    runs.push(Date.now() - t);
    const probe = changed[changed.length - 1];
    for (;;) {
      const res = await fetch(
        `${catalogBaseUrl}/api/catalog/entities/by-name/component/default/${probe.cluster}--${probe.namespace}--${probe.name}`,
        { headers },
      );
      const entity = res.ok
        ? ((await res.json()) as { metadata: { annotations?: Record<string, string> } })
        : undefined;
      if (entity?.metadata.annotations?.['ai-platform.io/workload-state'] === probe.state) break;
      if (Date.now() - t > 120_000)
        throw new Error('a changed workload did not reach the catalog within 2 minutes of a full run');
      await new Promise(r => setTimeout(r, 200));
    }
    servedAfter.push(Date.now() - t);
  }
  runs.sort((a, b) => a - b);
  servedAfter.sort((a, b) => a - b);
  console.log(
    `scheduled full reconciliation (${expected} entities, 1 % changed), 3 runs: median ${runs[1]} ms (min ${runs[0]}, max ${runs[2]}); ` +
      `a changed entity served after median ${servedAfter[1]} ms`,
  );

  // Freshness under delta polling.
  const deltaDurations: number[] = [];
  let stopping = false;
  const deltaLoop = (async () => {
    while (!stopping) {
      const t = Date.now();
      await scheduler.triggerTask('ai-platform:delta');
      deltaDurations.push(Date.now() - t);
      await new Promise(r => setTimeout(r, Math.max(0, deltaMs - (Date.now() - t))));
    }
  })();
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  const backlogs: number[] = [];
  const spacing = 500;
  for (let i = 0; i < newWorkloads || pending.size > 0; i++) {
    if (i < newWorkloads) {
      const w = workload(total + i * 10, new Date().toISOString()); // i*10: never a run
      fake.workloads.push(w);
      pending.set(`${w.cluster}--${w.namespace}--${w.name}`, Date.now());
    }
    await Promise.all(
      [...pending.entries()].map(async ([name, appeared]) => {
        const res = await fetch(`${catalogBaseUrl}/api/catalog/entities/by-name/component/default/${name}`, {
          headers,
        });
        if (res.ok) {
          latencies.push(Date.now() - appeared);
          pending.delete(name);
        }
      }),
    );
    backlogs.push(await backlog());
    if (i > newWorkloads + 600) throw new Error(`${pending.size} new workloads never reached the catalog`);
    await new Promise(r => setTimeout(r, spacing));
  }
  stopping = true;
  await deltaLoop;

  latencies.sort((a, b) => a - b);
  deltaDurations.sort((a, b) => a - b);
  console.log(
    `freshness (workload appears at backend -> entity served), ${latencies.length} workloads, delta poll every ${deltaMs} ms:`,
  );
  console.log(
    `  p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${
      latencies[latencies.length - 1]
    } ms`,
  );
  console.log(
    `delta poll over ${fake.workloads.length} workloads: p50 ${percentile(deltaDurations, 50)} ms, max ${
      deltaDurations[deltaDurations.length - 1]
    } ms`,
  );
  console.log(
    `backlog (refresh_state rows due) during freshness: max ${Math.max(...backlogs)}, final ${
      backlogs[backlogs.length - 1]
    }`,
  );

  await backend.stop();
  await knex.destroy();
  await fake.stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
