import { mockServices } from '@backstage/backend-test-utils';
import { parseEngineOptions, type EngineOptions } from '@ai-platform/scheduler';
import { builtinWorkloadKinds } from '../workloads/adapters';
import { elasticJobAnnotation } from '../workloads/adapters/batch';
import { AdmissionService } from './AdmissionService';
import { eventually, fixture, twoH100NodeFleet, useAdmittingSim } from './__testUtils__/kubeSimCluster';

jest.setTimeout(60_000);

describe('elastic Jobs (kueue.x-k8s.io/elastic-job) on kube-sim: resized in place, not queued again', () => {
  const startSim = useAdmittingSim();

  async function start(engineOptions?: EngineOptions) {
    const {
      cluster,
      controller,
      decisions: store,
    } = await startSim({
      fleet: twoH100NodeFleet([{ name: 'team-a', team: 'a' }]),
      objects: fixture('queues.yaml').filter(o => o.kind !== 'Namespace'),
      identity: 'elastic-test',
      engineOptions,
    });
    const service = new AdmissionService([controller], builtinWorkloadKinds, store, mockServices.logger.mock());
    const jobType = cluster.store.typeFor('batch/v1', 'Job');
    const submit = (name: string, parallelism: number, elastic = false) => {
      const [job] = fixture('job.yaml');
      job.metadata.name = name;
      if (elastic) job.metadata.annotations = { [elasticJobAnnotation]: 'true' };
      Object.assign(job.spec as object, { parallelism, completions: 100 });
      (job.spec as { template: { metadata?: object } }).template.metadata = {
        annotations: { 'kube-sim.io/duration-seconds': '3600' },
      };
      return cluster.store.create(jobType, job);
    };
    const get = (name: string) => cluster.store.get(jobType, 'team-a', name)!;
    const scale = (name: string, parallelism: number) => {
      const job = get(name);
      cluster.store.update(jobType, { ...job, spec: { ...(job.spec as object), parallelism } });
    };
    const running = (name: string) =>
      cluster.store
        .list(cluster.store.typeFor('v1', 'Pod'))
        .filter(
          p =>
            p.metadata.ownerReferences?.[0]?.uid === get(name).metadata.uid &&
            (p.status as { phase?: string })?.phase === 'Running',
        )
        .map(p => p.metadata.uid!);
    const summary = (name: string) =>
      service.getWorkload({ cluster: 'gpu', namespace: 'team-a', kind: 'Job', name }).then(s => s!);
    const events = (name: string) =>
      service.events({ cluster: 'gpu', namespace: 'team-a', kind: 'Job', name }).then(list => list.map(e => e.reason));
    return { store, submit, get, scale, running, summary, events };
  }

  it('grows without restarting its pods while quota allows, waits for the extra GPUs beyond it, and frees quota when shrinking', async () => {
    const { store, submit, scale, running, summary, events } = await start();
    submit('elastic', 2, true);
    submit('other', 2);
    const first = await eventually(() => (running('elastic').length === 2 ? running('elastic') : undefined));
    await eventually(() => running('other').length === 2);

    scale('elastic', 4);
    const grown = await eventually(() => (running('elastic').length === 4 ? running('elastic') : undefined));
    expect(grown).toEqual(expect.arrayContaining(first));
    expect(store.count('Resized', 'elastic')).toBe(1);
    expect(store.count('Admitted', 'elastic')).toBe(1);
    expect(store.count('Suspended', 'elastic')).toBe(0);
    await eventually(async () => (await events('elastic')).includes('Resized'));

    // 8 would need 4 more GPUs than the 2 left free beside `other`: the slice waits, the Job keeps its 4 pods.
    scale('elastic', 8);
    const waiting = await eventually(async () => {
      const s = await summary('elastic');
      return s.reason && s;
    });
    expect(waiting.state).toBe('Running');
    expect(waiting.reason!.message).toContain('waits for 4 more nvidia.com/gpu');
    await new Promise(r => setTimeout(r, 1_000));
    expect(running('elastic').sort()).toEqual([...grown].sort());

    // A job that needs 4 GPUs waits too, until the elastic one shrinks to 2 and frees them at once.
    submit('late', 4);
    await eventually(async () => (await summary('late')).reason?.code === 'QuotaExhausted');
    scale('elastic', 2);
    await eventually(() => running('late').length === 4);
    expect(running('elastic')).toHaveLength(2);
    expect(first).toEqual(expect.arrayContaining(running('elastic')));
    expect((await summary('elastic')).reason).toBeUndefined();
    expect(store.count('Resized', 'elastic')).toBe(2);
  });

  it.each<[string, boolean, EngineOptions | undefined]>([
    ['a Job without the annotation', false, undefined],
    [
      'an elastic Job with ElasticJobsViaWorkloadSlices off',
      true,
      parseEngineOptions({ featureGates: { ElasticJobsViaWorkloadSlices: false } }),
    ],
  ])('%s keeps today’s behaviour: its admission stays as it was', async (_, elastic, options) => {
    const { store, submit, scale, running, summary } = await start(options);
    submit('plain', 2, elastic);
    await eventually(() => running('plain').length === 2);
    scale('plain', 4);
    await eventually(() => running('plain').length === 4);
    const s = await summary('plain');
    expect(s.assignment!.podSets[0].count).toBe(2);
    expect(store.count('Resized', 'plain')).toBe(0);
  });
});
