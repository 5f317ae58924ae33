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
  let runTimes: LearnedRunTimes;

  beforeEach(async () => {
    runTimes = new LearnedRunTimes();
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
          aiPlatform: {
            clusters: { east: { mode: 'admit' } },
            pricing: { currency: 'EUR', gpu: [{ flavor: 'h100', perHour: '3.10' }] },
          },
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

  it('plan shows each candidate cluster with its p50 and p90 start and its GPU-hour price', async () => {
    east.create(job('hog', 8, 600));
    await controller.start();
    await eventually(() =>
      Boolean(east.get('batch/v1', 'Job', 'team-a', 'hog')?.metadata.annotations?.[admissionAnnotation]),
    );
    const plan = await controller.service.plan({
      manifest: job('planned', 8, 600),
      queue: 'training',
      clusterPolicy: 'Cheapest',
      etaToleranceSeconds: 7200,
    });
    expect(plan.clusterPolicy).toBe('Cheapest');
    expect(plan.cluster).toBe('east');
    const [candidate] = plan.candidates!;
    expect(candidate).toMatchObject({
      cluster: 'east',
      pricePerGpuHour: '3.10',
      currency: 'EUR',
      withinTolerance: true,
    });
    expect(Date.parse(candidate.etaP90!)).toBeGreaterThanOrEqual(Date.parse(candidate.eta!));
    expect(Date.parse(candidate.eta!)).toBeGreaterThan(Date.now() + 400_000);
  });

  it('Cheapest with a tolerance no cluster meets says so and takes the fastest', async () => {
    east.create(job('hog', 8, 3600));
    await controller.start();
    await eventually(() =>
      Boolean(east.get('batch/v1', 'Job', 'team-a', 'hog')?.metadata.annotations?.[admissionAnnotation]),
    );
    const plan = await controller.service.plan({
      manifest: job('planned', 8, 600),
      queue: 'training',
      clusterPolicy: 'Cheapest',
      etaToleranceSeconds: 60,
    });
    expect(plan.toleranceMissed).toBe(true);
    expect(plan.cluster).toBe('east');
    expect(plan.candidates![0].withinTolerance).toBe(false);
  });
});
