import { mockServices } from '@backstage/backend-test-utils';
import type { KubeObject } from '@ai-platform/kube-sim';
import { admissionAnnotation } from '../workloads/admissionAnnotation';
import { createAdmissionController, type AdmissionController } from '../controller/createAdmissionController';
import { eventually, fixture, MemoryDecisionStore, SimCluster } from '../controller/__testUtils__/kubeSimCluster';
import { LearnedRunTimes } from './LearnedRunTimes';
import { BudgetEnforcement } from '../costs/budgets';
import { settingsFrom } from '../controller/__testUtils__/settingsFrom';

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
  let budgets: BudgetEnforcement;

  beforeEach(async () => {
    runTimes = new LearnedRunTimes();
    budgets = new BudgetEnforcement(new Map([['team-a', 'Hold']]));
    east = await new SimCluster().start();
    for (const obj of fixture('queues.yaml')) east.create(obj);
    controller = createAdmissionController({
      ...settingsFrom(
        mockServices.rootConfig({
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
      ),
      logger: mockServices.logger.mock(),
      decisions: new MemoryDecisionStore(),
      runTimes,
      budgets,
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

  /** Plans an 8-GPU, 10-minute job the Cheapest way while an 8-GPU hog that runs `hogSeconds` holds the cluster. */
  async function planCheapestBehindHog(hogSeconds: number, etaToleranceSeconds: number) {
    east.create(job('hog', 8, hogSeconds));
    await controller.start();
    await eventually(() =>
      Boolean(east.get('batch/v1', 'Job', 'team-a', 'hog')?.metadata.annotations?.[admissionAnnotation]),
    );
    return controller.service.plan({
      manifest: job('planned', 8, 600),
      queue: 'training',
      clusterPolicy: 'Cheapest',
      etaToleranceSeconds,
    });
  }

  it('plan shows each candidate cluster with its p50 and p90 start and its GPU-hour price', async () => {
    const plan = await planCheapestBehindHog(600, 7200);
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
    const plan = await planCheapestBehindHog(3600, 60);
    expect(plan.toleranceMissed).toBe(true);
    expect(plan.cluster).toBe('east');
    expect(plan.candidates![0].withinTolerance).toBe(false);
  });

  it('Hold: once team-a has spent its budget its new job waits with BudgetExceeded; plan flags one that would exceed what is left', async () => {
    const status = (spent: number) => ({
      team: 'team-a',
      month: '2026-12',
      budgetMicros: 10_000_000,
      source: 'config' as const,
      spentMicros: spent,
      forecastMicros: spent,
      spentRatio: spent / 10_000_000,
      forecastRatio: spent / 10_000_000,
    });
    await controller.start();
    budgets.update([status(9_000_000)]);
    // 8 GPUs × 600 s × 3.10 = 4.13, more than the 1.00 left.
    // The controller reads the cluster's queues after start; plan once it knows them.
    const plan = await eventually(async () => {
      const p = await controller.service.plan({ manifest: job('big', 8, 600), queue: 'training' });
      return p.candidates?.length ? p : undefined;
    });
    expect(plan.budget).toMatchObject({
      team: 'team-a',
      policy: 'Hold',
      left: '1.00',
      projectedCost: '4.13',
      exceedsBudget: true,
    });
    const small = await controller.service.plan({ manifest: job('small', 1, 60), queue: 'training' });
    expect(small.budget).toMatchObject({ projectedCost: '0.05', exceedsBudget: false });

    const [c] = controller.controllers;
    c.engine.setBudgets(budgets.update([status(10_500_000)]));
    east.create(job('over', 1, 60));
    const held = await eventually(async () =>
      (
        await controller.service.listWorkloads({ cluster: 'east', state: 'Pending' })
      ).find(w => w.name === 'over' && w.reason),
    );
    expect(held.reason).toMatchObject({ code: 'BudgetExceeded' });
    expect(held.reason!.message).toContain('10.50 of 10.00 in 2026-12');
    c.engine.setBudgets(budgets.update([status(0)]));
    c.kick();
    await eventually(() =>
      Boolean(east.get('batch/v1', 'Job', 'team-a', 'over')?.metadata.annotations?.[admissionAnnotation]),
    );
  });
});
