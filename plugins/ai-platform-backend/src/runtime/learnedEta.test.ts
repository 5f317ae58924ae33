import { mockServices } from '@backstage/backend-test-utils';
import type { KubeObject } from '@ai-platform/kube-sim';
import { admissionAnnotation } from '../workloads/admissionAnnotation';
import { createAdmissionController, type AdmissionController } from '../controller/createAdmissionController';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from '../controller/__testUtils__/kubeSimCluster';
import { LearnedRunTimes } from './LearnedRunTimes';

jest.setTimeout(60_000);

function job(name: string, parallelism: number, declaredSeconds: number): KubeObject {
  const [j] = fixture('job.yaml');
  j.metadata.name = name;
  j.metadata.annotations = { 'ai-platform.io/expected-duration-seconds': String(declaredSeconds) };
  (j.spec as { parallelism: number }).parallelism = parallelism;
  return j;
}

describe('ETAs from the learned run-time model', () => {
  let east: SimCluster;
  let controller: AdmissionController;
  const runTimes = new LearnedRunTimes();

  beforeEach(async () => {
    east = await new SimCluster().start();
    for (const obj of fixture('queues.yaml')) east.create(obj);
    controller = createAdmissionController({
      config: mockServices.rootConfig({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [{ name: 'east', url: east.server!.url, skipTLSVerify: true }] },
            ],
          },
          aiPlatform: { clusters: { east: { mode: 'admit' } } },
        },
      }),
      logger: mockServices.logger.mock(),
      decisions: new MemoryDecisionStore(),
      runTimes,
      leaseTiming: { durationMs: 1_500, renewMs: 300 },
    });
  });

  afterEach(async () => {
    await controller.stop();
    await east.stop();
  });

  it('a team whose jobs run twice as long as declared sees ETAs twice as far out, as a p50..p90 range', async () => {
    east.create(job('running', 8, 600));
    await controller.start();
    await eventually(() =>
      Boolean(east.get('batch/v1', 'Job', 'team-a', 'running')?.metadata.annotations?.[admissionAnnotation]),
    );
    const [running] = await controller.service.listWorkloads({ cluster: 'east' });
    // What the history says of this team: six Jobs declared at 600 s ran 1,200 s.
    for (let i = 0; i < 6; i++)
      runTimes.model.record({
        team: running.team,
        kind: 'Job',
        queue: 'training',
        gpus: 8,
        declaredSeconds: 600,
        actualSeconds: 1200,
      });
    east.create(job('next', 8, 600));
    const next = await eventually(async () => {
      const found = (await controller.service.listWorkloads({ cluster: 'east', state: 'Pending' })).find(
        w => w.name === 'next',
      );
      return found?.etaP90 ? found : undefined;
    });
    const admittedAt = Date.parse(running.admittedAt!);
    const p50 = Date.parse(next.eta!);
    expect(Math.abs(p50 - (admittedAt + 1_200_000))).toBeLessThan(120_000);
    expect(Date.parse(next.etaP10!)).toBeLessThanOrEqual(p50);
    expect(Date.parse(next.etaP90!)).toBeGreaterThanOrEqual(p50);
    expect(next.expectedRunTime).toMatchObject({ source: 'calibrated-declaration', p50Seconds: 1200 });
    expect(next.expectedRunTime!.basis).toContain('declared 600 s');
  });
});
