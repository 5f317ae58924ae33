import { mockCredentials, mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterSummary,
  QueueListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type { AddressInfo } from 'node:net';
import catalogModuleAiPlatform from './index';
import fixture from './__fixtures__/platform.json';
import { FakeAiPlatformBackend } from './__testUtils__/FakeAiPlatformBackend';
import { manualScheduler } from './__testUtils__/mockScheduler';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

async function startCatalog(databaseId: Parameters<typeof databases.init>[0], fake: FakeAiPlatformBackend) {
  const knex = await databases.init(databaseId);
  const scheduler = manualScheduler();
  let catalogBaseUrl = '';
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleAiPlatform,
      mockServices.database.factory({ knex }),
      scheduler.factory(),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            providers: {
              aiPlatform: {
                schedule: { frequency: { minutes: 30 }, timeout: { minutes: 1 }, initialDelay: { seconds: 0 } },
                deltaInterval: '1s',
                fallbackOwner: 'group:default/sre',
              },
            },
          },
        },
      }),
      fake.discoveryFactory(() => catalogBaseUrl),
    ],
  });
  catalogBaseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { scheduler, catalogBaseUrl };
}

async function getEntity(catalogBaseUrl: string, kind: string, name: string): Promise<Entity | undefined> {
  const response = await fetch(`${catalogBaseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`, {
    headers: { Authorization: mockCredentials.user.header() },
  });
  if (response.status === 404) {
    return undefined;
  }
  if (!response.ok) {
    throw new Error(`catalog answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as Entity;
}

/** Waits until the catalog serves the entity in the expected shape (or, with `gone`, stops serving it). */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) {
      return last;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

describe('catalog module ai-platform, against a real catalog and a real HTTP backend', () => {
  const fake = new FakeAiPlatformBackend();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.workloads = structuredClone(fixture.workloads) as WorkloadSummary[];
    fake.queues = fixture.queues as QueueListResponse;
    fake.clusters = fixture.clusters as ClusterSummary[];
  });

  it.each(databases.eachSupportedId())(
    'serves workloads, queues and clusters, and follows changes and removals (%p)',
    async databaseId => {
      const { scheduler, catalogBaseUrl } = await startCatalog(databaseId, fake);
      await scheduler.triggerTask('ai-platform:full');

      const component = await eventually(
        () => getEntity(catalogBaseUrl, 'component', 'gpu-east--team-nlp--llama-chat'),
        e => e !== undefined,
        'the inference service component',
      );
      expect(component!.metadata.annotations?.['ai-platform.io/workload']).toBe(
        'gpu-east/team-nlp/InferenceService/llama-chat',
      );
      expect(component!.relations).toEqual(
        expect.arrayContaining([
          { type: 'providesApi', targetRef: 'api:default/gpu-east--team-nlp--llama-chat' },
          { type: 'dependsOn', targetRef: 'resource:default/lq--gpu-east--team-nlp--serving' },
          { type: 'ownedBy', targetRef: 'group:default/team-nlp' },
        ]),
      );
      const queue = await eventually(
        () => getEntity(catalogBaseUrl, 'resource', 'lq--gpu-east--team-nlp--serving'),
        e => e !== undefined,
        'the LocalQueue resource',
      );
      expect(queue!.spec).toMatchObject({ type: 'gpu-queue', owner: 'group:default/team-nlp' });
      await eventually(
        () => getEntity(catalogBaseUrl, 'resource', 'gpu-east'),
        e => e?.spec?.type === 'kubernetes-cluster',
        'the cluster',
      );
      const orphan = await eventually(
        () => getEntity(catalogBaseUrl, 'component', 'gpu-west--sandbox--orphan-batch'),
        e => e !== undefined,
        'the workload without a team',
      );
      expect(orphan!.spec?.owner).toBe('group:default/sre');
      expect(await getEntity(catalogBaseUrl, 'component', 'gpu-east--team-vision--eval-resnet-run-7')).toBeUndefined();
      expect(fake.requests.every(r => r.authorization?.startsWith('Bearer '))).toBe(true);

      // A state change, a new workload and a removal reach the catalog through the delta poll alone.
      fake.workloads = fake.workloads
        .filter(w => w.name !== 'orphan-batch')
        .map(w => (w.name === 'llama-chat' ? { ...w, state: 'Preempted' as const } : w));
      fake.workloads.push({ ...fake.workloads[0], name: 'train-vit', uid: 'u-vit', state: 'Pending' });
      await scheduler.triggerTask('ai-platform:delta');

      await eventually(
        () => getEntity(catalogBaseUrl, 'component', 'gpu-east--team-nlp--llama-chat'),
        e => e?.metadata.annotations?.['ai-platform.io/workload-state'] === 'Preempted',
        'the state change',
      );
      await eventually(
        () => getEntity(catalogBaseUrl, 'component', 'gpu-east--team-vision--train-vit'),
        e => e !== undefined,
        'the new workload',
      );
      await eventually(
        () => getEntity(catalogBaseUrl, 'component', 'gpu-west--sandbox--orphan-batch'),
        e => e === undefined,
        'the removal',
      );
      // The rest stays.
      expect(await getEntity(catalogBaseUrl, 'resource', 'lq--gpu-east--team-nlp--serving')).toBeDefined();
    },
  );
});
