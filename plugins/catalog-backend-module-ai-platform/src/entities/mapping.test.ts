import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  ClusterSummary,
  QueueListResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import fixture from '../__fixtures__/platform.json';
import type { MappingContext } from './owner';
import { clusterEntities, queueEntities } from './platformEntities';
import { validateEntity } from './validate';
import { workloadEntities } from './workloadEntities';

const workloads = fixture.workloads as WorkloadSummary[];
const queues = fixture.queues as QueueListResponse;
const clusters = fixture.clusters as ClusterSummary[];

function context(overrides: Partial<MappingContext> = {}): MappingContext & { unresolved: string[] } {
  const unresolved: string[] = [];
  return {
    fallbackOwner: 'group:default/platform-team',
    platformOwner: 'group:default/platform-team',
    retentionMs: 7 * 24 * 3600 * 1000,
    now: () => new Date('2026-11-23T10:00:00Z'),
    onUnresolvedOwner: subject => unresolved.push(subject),
    unresolved,
    ...overrides,
  };
}

const byWorkload = (entities: Entity[], key: string) =>
  entities.filter(e => e.metadata.annotations?.['ai-platform.io/workload'] === key);

describe('entity mapping', () => {
  it('produces entities every catalog policy and kind schema accepts, for every kind', async () => {
    const ctx = context();
    const entities = [
      ...workloadEntities(workloads, ctx),
      ...queueEntities(queues, ctx),
      ...clusterEntities(clusters, ctx),
    ];
    const kinds = new Set(entities.map(e => `${e.kind}:${e.spec?.type}`));
    expect([...kinds].sort()).toEqual([
      'API:grpc',
      'API:openai',
      'Component:ai-agent',
      'Component:batch-job',
      'Component:inference-service',
      'Component:training-job',
      'Resource:gpu-cohort',
      'Resource:gpu-pool',
      'Resource:gpu-queue',
      'Resource:kubernetes-cluster',
    ]);
    for (const entity of entities) {
      await expect(validateEntity(entity, 'fixture')).resolves.toBeDefined();
      expect(entity.metadata.name.length).toBeLessThanOrEqual(63);
    }
    const refs = entities.map(e => stringifyEntityRef(e));
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('describes a training job the way the Kubernetes plugin and the workload card read it', () => {
    const [component] = byWorkload(
      workloadEntities(workloads, context()),
      'gpu-east/team-vision/PyTorchJob/train-resnet',
    );
    expect(component).toMatchObject({
      kind: 'Component',
      metadata: {
        // Short enough for one line of the catalog table; where it runs is in the description.
        title: 'train-resnet',
        description: 'PyTorchJob in team-vision on gpu-east',
        annotations: {
          'backstage.io/kubernetes-id': 'train-resnet',
          'backstage.io/kubernetes-label-selector': 'training.kubeflow.org/job-name=train-resnet',
          'backstage.io/kubernetes-namespace': 'team-vision',
          'backstage.io/kubernetes-cluster': 'gpu-east',
          'ai-platform.io/queue': 'vision',
          'ai-platform.io/cluster': 'gpu-east',
          'backstage.io/techdocs-entity': 'component:default/ai-platform-runbooks',
          'backstage.io/managed-by-location': 'ai-platform:gpu-east',
          'backstage.io/managed-by-origin-location': 'ai-platform:gpu-east',
        },
      },
      spec: {
        type: 'training-job',
        lifecycle: 'production',
        owner: 'group:default/team-vision',
        dependsOn: ['resource:default/lq--gpu-east--team-vision--vision'],
      },
    });
  });

  it('gives the depended-on queue an entity of its own', () => {
    const ctx = context();
    const names = new Set(queueEntities(queues, ctx).map(e => stringifyEntityRef(e)));
    for (const component of workloadEntities(workloads, ctx)) {
      for (const ref of (component.spec?.dependsOn as string[] | undefined) ?? []) {
        expect(names).toContain(ref);
      }
    }
  });

  it('falls back to the configured owner for a workload without a valid team, marks it, and keeps it', () => {
    const ctx = context({ fallbackOwner: 'group:default/sre' });
    const entities = workloadEntities(workloads, ctx);
    const [orphan] = byWorkload(entities, 'gpu-west/sandbox/Job/orphan-batch');
    expect(orphan.spec?.owner).toBe('group:default/sre');
    expect(orphan.metadata.annotations?.['ai-platform.io/owner-unresolved']).toBe('true');
    const [badTeam] = byWorkload(entities, 'gpu-east/team-vision/JobSet/train-resnet');
    expect(badTeam.spec?.owner).toBe('group:default/sre');
    expect(ctx.unresolved).toEqual([
      'workload gpu-west/sandbox/Job/orphan-batch',
      'workload gpu-east/team-vision/JobSet/train-resnet',
    ]);
    const [owned] = byWorkload(entities, 'gpu-east/team-vision/PyTorchJob/train-resnet');
    expect(owned.metadata.annotations).not.toHaveProperty('ai-platform.io/owner-unresolved');
  });

  it('leaves out workloads that finished longer ago than the retention, keeps recent ones', () => {
    const keys = (ctx: MappingContext) =>
      workloadEntities(workloads, ctx).map(e => e.metadata.annotations?.['ai-platform.io/workload']);
    expect(keys(context())).not.toContain('gpu-east/team-vision/Job/old-sweep');
    expect(keys(context())).toContain('gpu-east/team-vision/Job/recent-sweep');
    expect(keys(context({ retentionMs: 3600 * 1000 }))).not.toContain('gpu-east/team-vision/Job/recent-sweep');
    expect(keys(context({ retentionMs: 30 * 24 * 3600 * 1000 }))).toContain('gpu-east/team-vision/Job/old-sweep');
  });

  it('does not give runs of an existing component an entity of their own', () => {
    const entities = workloadEntities(workloads, context());
    expect(byWorkload(entities, 'gpu-east/team-vision/Job/eval-resnet-run-7')).toEqual([]);
    expect(entities.some(e => e.metadata.name.includes('eval-resnet-run-7'))).toBe(false);
  });

  it('gives a workload the component it names when no one else provides that component (from its newest run)', () => {
    const run = workloads.find(w => w.name === 'eval-resnet-run-7')!;
    const older = { ...run, name: 'eval-resnet-run-6', uid: 'u-6', createdAt: '2026-11-01T00:00:00Z' };
    const entities = workloadEntities([...workloads, older], context({ componentsElsewhere: new Set() }));
    const named = entities.filter(e => stringifyEntityRef(e) === run.entityRef);
    expect(named).toHaveLength(1);
    expect(named[0].metadata.annotations?.['ai-platform.io/workload']).toBe(
      'gpu-east/team-vision/Job/eval-resnet-run-7',
    );
    expect(named[0].spec?.type).toBe(run.entityType);
    // Provided elsewhere (a registered catalog-info.yaml): only a run of it.
    const elsewhere = workloadEntities(workloads, context({ componentsElsewhere: new Set([run.entityRef!]) }));
    expect(elsewhere.some(e => stringifyEntityRef(e) === run.entityRef)).toBe(false);
  });

  it('gives two workloads with the same name but different kinds different entities', () => {
    const entities = workloadEntities(workloads, context());
    const a = byWorkload(entities, 'gpu-east/team-vision/PyTorchJob/train-resnet')[0];
    const b = byWorkload(entities, 'gpu-east/team-vision/JobSet/train-resnet')[0];
    expect(a.metadata.name).not.toBe(b.metadata.name);
  });

  it('marks notebooks experimental', () => {
    const [notebook] = byWorkload(workloadEntities(workloads, context()), 'gpu-east/team-vision/Notebook/scratch');
    expect(notebook.spec?.lifecycle).toBe('experimental');
  });

  it('gives an inference service an API entity that its component provides', () => {
    const entities = byWorkload(
      workloadEntities(workloads, context()),
      'gpu-east/team-nlp/InferenceService/llama-chat',
    );
    const component = entities.find(e => e.kind === 'Component')!;
    const api = entities.find(e => e.kind === 'API')!;
    expect(component.spec?.providesApis).toEqual([stringifyEntityRef(api)]);
    expect(api.spec).toMatchObject({ type: 'openai', owner: 'group:default/team-nlp', lifecycle: 'production' });
    expect(api.spec?.definition).toContain('llama-chat model server');
    expect(api.metadata.annotations).toMatchObject({
      'ai-platform.io/model-server-type': 'openai-v1',
      'ai-platform.io/model-server-url': 'http://llama-chat.team-nlp.svc.cluster.local',
      'ai-platform.io/models': 'llama-chat',
    });
    const [grpc] = byWorkload(
      workloadEntities(workloads, context()),
      'gpu-east/team-nlp/InferenceService/embedder-grpc',
    ).filter(e => e.kind === 'API');
    expect(grpc.spec?.type).toBe('grpc');
  });

  it('owns LocalQueues by their team and the rest by the platform team', () => {
    const ctx = context();
    const entities = queueEntities(queues, ctx);
    const lq = entities.find(e => e.metadata.name === 'lq--gpu-east--team-vision--vision')!;
    expect(lq.spec).toEqual({
      type: 'gpu-queue',
      owner: 'group:default/team-vision',
      dependsOn: ['resource:default/cq--gpu-east--research', 'resource:default/cohort--gpu-east--all-gpus'],
    });
    const sandbox = entities.find(e => e.metadata.name === 'lq--gpu-east--sandbox--serving')!;
    expect(sandbox.metadata.annotations?.['ai-platform.io/owner-unresolved']).toBe('true');
    const cq = entities.find(e => e.metadata.name === 'cq--gpu-east--research')!;
    expect(cq.spec?.owner).toBe('group:default/platform-team');
    expect(entities.map(e => e.metadata.name)).toEqual(
      expect.arrayContaining(['cohort--gpu-east--all-gpus', 'cohort--gpu-east--org']),
    );
  });

  it('sums GPU capacity per cluster and GPU product', () => {
    const entities = clusterEntities(clusters, context());
    const pools = entities.filter(e => e.spec?.type === 'gpu-pool');
    expect(pools.map(p => [p.metadata.name, p.metadata.annotations?.['ai-platform.io/gpu-capacity']])).toEqual([
      [expect.stringMatching(/^pool--gpu-east--nvidia-h100-80gb-hbm3-[0-9a-f]{8}$/), '96'],
      [expect.stringMatching(/^pool--gpu-west--nvidia-a100-sxm4-40gb-[0-9a-f]{8}$/), '16'],
    ]);
    expect(pools[0].spec?.dependsOn).toEqual(['resource:default/gpu-east']);
    const cluster = entities.find(e => e.metadata.name === 'gpu-east')!;
    expect(cluster.spec?.type).toBe('kubernetes-cluster');
    expect(cluster.metadata.annotations).not.toHaveProperty('kubernetes.io/api-server');
  });
});
