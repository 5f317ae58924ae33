import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createMockDirectory, mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { kubeconfigYaml, startKubeSim, type KubeSim } from '@ai-platform/kube-sim';
// The integration test runs the real AI platform backend beside the catalog, as a Backstage instance does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import aiPlatformPlugin from '@ai-platform/backstage-plugin-ai-platform-backend';
import catalogModuleAiPlatform from './index';
import { manualScheduler } from './__testUtils__/mockScheduler';

jest.setTimeout(240_000);

/** SQLite always; PostgreSQL too when scripts/test (or you) started one. */
const databases: Array<[string, JsonObject]> = [
  ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
  ...(process.env.AIP_TEST_POSTGRES_URL
    ? [
        [
          'PostgreSQL',
          { client: 'pg', connection: process.env.AIP_TEST_POSTGRES_URL, prefix: `aip_catalog_e2e_${Date.now()}_` },
        ] as [string, JsonObject],
      ]
    : []),
];

const job = (name: string, seconds: number) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'team-a', labels: { 'kueue.x-k8s.io/queue-name': 'training' } },
  spec: {
    parallelism: 1,
    completions: 1,
    template: {
      metadata: { annotations: { 'kube-sim.io/duration-seconds': String(seconds) } },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'train',
            image: 'trainer:1',
            resources: { requests: { cpu: '4', 'nvidia.com/gpu': '2' }, limits: { 'nvidia.com/gpu': '2' } },
          },
        ],
      },
    },
  },
});

describe('the catalog follows workloads on a kube-sim cluster through the real ai-platform backend', () => {
  let sim: KubeSim;
  const dir = createMockDirectory();

  beforeAll(async () => {
    sim = await startKubeSim({
      generator: false,
      fleet: {
        apiVersion: 'kube-sim.io/v1alpha1',
        kind: 'Fleet',
        simulation: { startupSeconds: 0, failureRate: 0 },
        clusters: [
          {
            name: 'gpu',
            nodePools: [
              {
                name: 'h100',
                count: 1,
                cpu: '96',
                memory: '1Ti',
                zones: ['z1'],
                gpu: { product: 'NVIDIA-H100-80GB-HBM3', count: 8, memoryMiB: 81920 },
              },
            ],
          },
        ],
        namespaces: [
          { name: 'team-a', team: 'a' },
          { name: 'team-b', team: 'b' },
        ],
      },
    });
    dir.addContent({ kubeconfig: kubeconfigYaml([{ name: 'gpu', url: sim.clusters[0].url }]) });
  });
  afterAll(() => sim?.stop());

  it.each(databases)(
    'a Job appears as a Component, follows its states, and leaves after the retention (%s)',
    async (_name, database) => {
      const queues = parse(
        readFileSync(
          resolvePackagePath(
            '@ai-platform/backstage-plugin-ai-platform-backend',
            'src/__fixtures__/two-team-queues.yaml',
          ),
          'utf8',
        ),
      );
      const scheduler = manualScheduler();
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleAiPlatform,
          aiPlatformPlugin,
          scheduler.factory({ skipTaskRunOnStartup: true }),
          mockServices.rootConfig.factory({
            data: {
              backend: { database },
              aiPlatform: {
                kubeconfig: `${dir.path}/kubeconfig`,
                clusters: { gpu: { mode: 'admit' } },
                queues,
                metrics: { pollInterval: { seconds: 60 } },
              },
              catalog: {
                providers: {
                  aiPlatform: {
                    schedule: { frequency: { minutes: 30 }, timeout: { minutes: 1 }, initialDelay: { seconds: 0 } },
                    deltaInterval: '1s',
                    retention: { seconds: 20 },
                  },
                },
              },
            },
          }),
        ],
      });
      const base = `http://localhost:${(backend.server.address() as AddressInfo).port}`;
      const entity = async (kind: string, name: string): Promise<Entity | undefined> => {
        const res = await fetch(`${base}/api/catalog/entities/by-name/${kind}/default/${name}`, {
          headers: { Authorization: mockCredentials.user.header() },
        });
        if (res.status === 404) return undefined;
        if (!res.ok) throw new Error(`catalog answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as Entity;
      };
      /** Runs the provider's delta (and, first, the full) pass until the catalog serves what is expected. */
      const eventually = async (
        probe: () => Promise<Entity | undefined>,
        accept: (e: Entity | undefined) => boolean,
        what: string,
      ) => {
        const deadline = Date.now() + 60_000;
        let last: Entity | undefined;
        while (Date.now() < deadline) {
          await scheduler.triggerTask('ai-platform:delta');
          last = await probe();
          if (accept(last)) return last;
          await new Promise(r => setTimeout(r, 300));
        }
        throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last?.metadata)}`);
      };
      const state = (e: Entity | undefined) => e?.metadata.annotations?.['ai-platform.io/workload-state'];

      try {
        const name = `train-${_name.toLowerCase()}`;
        sim.clusters[0].store.create(sim.clusters[0].store.typeFor('batch/v1', 'Job'), job(name, 3));
        await scheduler.triggerTask('ai-platform:full');
        // Owned by the team of its namespace (once the backend has read the namespace's team label).
        const component = await eventually(
          () => entity('component', `gpu--team-a--${name}`),
          e => e?.spec?.owner === 'group:default/a',
          'the Job as a Component owned by team a',
        );
        expect(component!.spec).toMatchObject({ type: 'batch-job', lifecycle: 'production' });
        expect(component!.metadata.annotations).toMatchObject({
          'ai-platform.io/workload': `gpu/team-a/Job/${name}`,
          'backstage.io/kubernetes-namespace': 'team-a',
          'ai-platform.io/queue': 'training',
        });
        await eventually(
          () => entity('resource', 'lq--gpu--team-a--training'),
          e => e?.spec?.type === 'gpu-queue',
          'its LocalQueue as a gpu-queue Resource',
        );
        // A template-made workload names its component (backstage.io/kubernetes-id); no git host
        // registered that component here, so the workload brings it.
        const templated = job(`${name}-templated`, 600);
        (templated.metadata.labels as Record<string, string>)[
          'backstage.io/kubernetes-id'
        ] = `finetune-${_name.toLowerCase()}`;
        sim.clusters[0].store.create(sim.clusters[0].store.typeFor('batch/v1', 'Job'), templated);
        const named = await eventually(
          () => entity('component', `finetune-${_name.toLowerCase()}`),
          e => e !== undefined,
          'the component a templated workload names',
        );
        expect(named!.metadata.annotations?.['ai-platform.io/workload']).toBe(`gpu/team-a/Job/${name}-templated`);
        // Admitted by the backend's controller, run by kube-sim for 3 s, then finished.
        await eventually(
          () => entity('component', `gpu--team-a--${name}`),
          e => ['Admitted', 'Running', 'Succeeded'].includes(state(e) ?? ''),
          'the admission',
        );
        await eventually(
          () => entity('component', `gpu--team-a--${name}`),
          e => state(e) === 'Succeeded',
          'the Job to succeed',
        );
        // Finished workloads leave the catalog after the retention (20 s here, so a loaded machine's catalog still shows the Succeeded state first).
        await eventually(
          () => entity('component', `gpu--team-a--${name}`),
          e => e === undefined,
          'the finished Job to leave after the retention',
        );
      } finally {
        await backend.stop();
      }
    },
  );
});
