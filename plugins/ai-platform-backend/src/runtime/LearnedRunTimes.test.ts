import { TestDatabases } from '@backstage/backend-test-utils';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { migratePluginDatabase } from '../database/migrations';
import { LearnedRunTimes, runTimeFactsOf } from './LearnedRunTimes';
import { RunTimeHistory } from './RunTimeHistory';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** A PyTorchJob of team vision that declared 30 min and really ran `minutes`. */
function finished(uid: string, minutes: number, state: WorkloadSummary['state'] = 'Succeeded'): WorkloadSummary {
  const admittedAt = Date.parse('2026-12-01T10:00:00Z');
  return {
    cluster: 'gpu-east',
    namespace: 'team-vision',
    kind: 'PyTorchJob',
    name: `train-${uid}`,
    apiVersion: 'kubeflow.org/v1',
    uid,
    entityType: 'training-job',
    team: 'vision',
    queue: 'training',
    priority: 0,
    state,
    createdAt: new Date(admittedAt - 60_000).toISOString(),
    admittedAt: new Date(admittedAt).toISOString(),
    finishedAt: new Date(admittedAt + minutes * 60_000).toISOString(),
    podSets: [],
    gpus: 8,
    expectedDurationSeconds: 1800,
    conditions: [],
  };
}

const next = { team: 'vision', kind: 'PyTorchJob', queue: 'training', gpus: 8, declaredSeconds: 1800 };

describe.each(databases.eachSupportedId())('LearnedRunTimes on %p', databaseId => {
  it('a restarted backend keeps what it learned: declarations stay calibrated', async () => {
    const knex = await databases.init(databaseId);
    await migratePluginDatabase(knex);
    const before = new LearnedRunTimes(new RunTimeHistory(knex));
    await before.load();
    expect(before.predict(next).p50).toBe(1800);
    // The team's jobs run twice as long as declared.
    for (let i = 0; i < 6; i++) before.observe(finished(`uid-${i}`, 60));
    await before.flush();
    expect(before.predict(next).p50).toBeCloseTo(3600, 3);

    const after = new LearnedRunTimes(new RunTimeHistory(knex));
    await after.load();
    const p = after.predict(next);
    expect(p.source).toBe('calibrated-declaration');
    expect(p.p50).toBeCloseTo(3600, 3);
  });

  it('learns each workload once and never from failed ones', async () => {
    const knex = await databases.init(databaseId);
    await migratePluginDatabase(knex);
    const runTimes = new LearnedRunTimes(new RunTimeHistory(knex));
    runTimes.observe(finished('same', 60));
    runTimes.observe(finished('same', 60));
    runTimes.observe(finished('broke', 5, 'Failed'));
    runTimes.observe({ ...finished('running', 60), state: 'Running', finishedAt: undefined });
    await runTimes.flush();
    expect(runTimes.model.runs).toBe(1);
    expect(await new RunTimeHistory(knex).recent(10)).toEqual([
      expect.objectContaining({ uid: 'same', actualSeconds: 3600, declaredSeconds: 1800, team: 'vision' }),
    ]);
    // A second replica that saw the same finish does not store it twice.
    const other = new LearnedRunTimes(new RunTimeHistory(knex));
    other.observe(finished('same', 60));
    await other.flush();
    expect(await new RunTimeHistory(knex).recent(10)).toHaveLength(1);
  });
});

describe('LearnedRunTimes wait calibration', () => {
  it('learns from first predictions and admissions how far waits stray from the predicted median', () => {
    const runTimes = new LearnedRunTimes();
    for (let i = 0; i < 30; i++) {
      runTimes.predicted(`east/w${i}`, 0, 60_000);
      runTimes.predicted(`east/w${i}`, 0, 999_000); // only the first prediction counts
      // Half waited the predicted minute, half twice as long.
      runTimes.admitted(`east/w${i}`, i % 2 ? 120_000 : 60_000);
    }
    runTimes.admitted('east/never-predicted', 5_000);
    expect(runTimes.waits.samples).toBe(30);
    // Ratios 1 and 2, median and p10 1, p90 2 (nearest rank): the range runs to twice the predicted wait.
    expect(runTimes.waits.adjust(1_000, { p50: 11_000 })).toEqual({ p10: 11_000, p50: 11_000, p90: 21_000 });
  });

  it("calibrates each group by its own history, as the simulator does: gangs whose waits stray threefold do not widen small jobs' ranges", () => {
    const runTimes = new LearnedRunTimes();
    const gang = ['team-a/training, priority 0, ≤8 GPUs', 'priority 0, ≤8 GPUs'];
    const small = ['team-a/training, priority 0, 1 GPUs', 'priority 0, 1 GPUs'];
    for (let i = 0; i < 30; i++) {
      runTimes.predicted(`east/gang${i}`, 0, 60_000, gang);
      runTimes.admitted(`east/gang${i}`, 60_000 * (1 + (i % 3)));
      runTimes.predicted(`east/small${i}`, 0, 60_000, small);
      runTimes.admitted(`east/small${i}`, 60_000);
    }
    // Gangs' ratios 1, 2, 3: p10 and p90 at half and one and a half times the predicted wait.
    expect(runTimes.eta(1_000, { p50: 11_000 }, gang)).toEqual({ p10: 6_000, p50: 11_000, p90: 16_000 });
    expect(runTimes.eta(1_000, { p50: 11_000 }, small)).toEqual({ p10: 11_000, p50: 11_000, p90: 11_000 });
    // A workload of neither group falls back to all of them: ratios mostly 1, a sixth 3.
    expect(runTimes.eta(1_000, { p50: 11_000 }, ['other'])).toEqual({ p10: 11_000, p50: 11_000, p90: 31_000 });
  });
});

describe('runTimeFactsOf', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'team-serving', labels: { 'kueue.x-k8s.io/queue-name': 'serving' } },
  };

  it('a service kind without a declaration is expected to keep running, a job kind to end', () => {
    const runTimes = new LearnedRunTimes();
    const service = runTimeFactsOf(deployment, 'serving', 2, 'inference-service');
    expect(service).toMatchObject({ kind: 'Deployment', queue: 'serving', serves: true });
    expect(runTimes.predict(service).p50).toBe(Infinity);
    const job = runTimeFactsOf({ ...deployment, apiVersion: 'batch/v1', kind: 'Job' }, 'serving', 2, 'batch-job');
    expect(job.serves).toBe(false);
    expect(runTimes.predict(job).p50).toBe(3600);
  });
});
