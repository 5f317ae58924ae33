import { screen, waitFor, within } from '@testing-library/react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import { aiPlatformApiRef, type AiPlatformApi } from '../../api/AiPlatformApi';
import { pendingWorkload } from '../../testing/workloads';
import { WorkloadCard, WorkloadContent, workloadRefOf } from './WorkloadCard';
import { timelineOf } from './ConditionTimeline';
import type {
  ShowbackResponse,
  WorkloadCostResponse,
  WorkloadEvent,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import runningFixtures from './__fixtures__/runningWorkload.json';

const runningCost = runningFixtures.runningCost as WorkloadCostResponse;
const runningEvents = runningFixtures.runningEvents as WorkloadEvent[];
const runningShowback = runningFixtures.runningShowback as ShowbackResponse;
const runningWorkload = runningFixtures.runningWorkload as WorkloadSummary;

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'train-1',
    annotations: {
      'ai-platform.io/workload': 'gpu-west/ml-research/JobSet/train-1',
    },
  },
  spec: {
    type: 'training-job',
    owner: 'group:default/ml-research',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-research' }],
};

function failedResponse(status: number, statusText: string, message: string): Promise<ResponseError> {
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText,
    url: '/api/ai-platform/costs/workloads/gpu-west/ml-research/JobSet/train-1',
    headers: new Headers({ 'content-type': 'application/json' }),
    type: 'basic',
    redirected: false,
    text: async () =>
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
  });
}

function fakeApi(workload: WorkloadSummary, overrides: Partial<AiPlatformApi> = {}): Partial<AiPlatformApi> {
  return {
    getWorkload: jest.fn(async () => workload),
    workloadCost: jest.fn(async () => runningCost),
    workloadEvents: jest.fn(async () => runningEvents),
    showback: jest.fn(async () => runningShowback),
    ...overrides,
  };
}

function render(
  api: Partial<AiPlatformApi>,
  allowed: boolean,
  view: 'card' | 'tab' = 'card',
  teams = ['group:default/ml-research'],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [aiPlatformApiRef, api],
        [identityApiRef, mockApis.identity({ userEntityRef: 'user:default/ada', ownershipEntityRefs: teams })],
        [
          permissionApiRef,
          {
            authorize: async () => ({
              result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            }),
          },
        ],
      ]}
    >
      <EntityProvider entity={entity}>{view === 'card' ? <WorkloadCard /> : <WorkloadContent />}</EntityProvider>
    </TestApiProvider>,
  );
}

describe('WorkloadCard', () => {
  it('parses the workload annotation', () => {
    expect(workloadRefOf('c/ns/Job/x')).toEqual({
      cluster: 'c',
      namespace: 'ns',
      kind: 'Job',
      name: 'x',
    });
    expect(workloadRefOf('broken')).toBeUndefined();
  });

  it('says why the workload waits, where it stands and when it starts', async () => {
    const eta = new Date(Date.now() + 20 * 60_000).toISOString();
    const api = fakeApi(
      pendingWorkload(1, {
        eta,
        positionInClusterQueue: 3,
        positionInLocalQueue: 2,
      }),
    );
    await render(api, true);
    expect(api.getWorkload).toHaveBeenCalledWith({
      cluster: 'gpu-west',
      namespace: 'ml-research',
      kind: 'JobSet',
      name: 'train-1',
    });
    expect(await screen.findByText(/requested 8, available 1/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Runbook for QuotaExhausted' })).toHaveAttribute(
      'href',
      '/docs/default/component/ai-platform-runbooks/runbooks/QuotaExhausted/',
    );
    expect(screen.getByText('3 in research, 2 in research')).toBeInTheDocument();
    expect(screen.getByText(/in 20 min/)).toBeInTheDocument();
  });

  it('gives the start as a range once the backend has a p90, with the expected run time and its basis', async () => {
    const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    const basis = '12 finished runs of ml-research JobSets of 8 GPUs';
    await render(
      fakeApi(
        pendingWorkload(1, {
          eta: inMinutes(40),
          etaP90: inMinutes(120),
          expectedRunTime: { p10Seconds: 1800, p50Seconds: 3600, p90Seconds: 9000, source: 'history', basis },
        }),
      ),
      true,
    );
    expect(await screen.findByText('likely in 40 min, almost surely within 2 h')).toBeInTheDocument();
    expect(screen.getByText('1 h, at most 2 h 30 min in 9 of 10 runs')).toHaveAttribute('title', basis);
    expect(screen.getByText('not admitted yet')).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  });

  it('hides actions from users who may not change the workload', async () => {
    await render(fakeApi(pendingWorkload(2)), false);
    expect(await screen.findByText('Pending')).toBeInTheDocument();
    expect(await screen.findByText(/Cost to date/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Suspend' })).not.toBeInTheDocument();
  });

  it('shows the error with a retry when the backend fails', async () => {
    await render(
      fakeApi(runningWorkload, {
        getWorkload: async () => Promise.reject(new Error('backend down')),
      }),
      true,
    );
    expect(await screen.findByText(/backend down/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('offers Suspend for a queued or running workload and Resume for a held one', async () => {
    await render(fakeApi(runningWorkload), true);
    expect(await screen.findByRole('button', { name: 'Suspend' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();
  });

  it('offers Resume, not Suspend, for a workload a user holds', async () => {
    const held = pendingWorkload(1, {
      cluster: 'gpu-west',
      namespace: 'ml-research',
      name: 'train-1',
      reason: { code: 'QueueStopped', message: 'Suspended by a user; release it to queue it again' },
    });
    await render(fakeApi(held, { getWorkload: async () => held }), true);
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Suspend' })).not.toBeInTheDocument();
  });

  it('says a workload that left its cluster is gone, instead of an error', async () => {
    await render(
      fakeApi(runningWorkload, {
        getWorkload: async () =>
          Promise.reject(await failedResponse(404, 'Not Found', 'No workload JobSet ml-research/train-1')),
      }),
      true,
    );
    expect(
      await screen.findByText(
        /JobSet ml-research\/train-1 is no longer on cluster gpu-west: it finished and was cleaned up, or it was deleted/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });

  it("says the user may not see another team's workload, rather than calling it gone", async () => {
    await render(
      fakeApi(runningWorkload, {
        getWorkload: async () =>
          Promise.reject(await failedResponse(404, 'Not Found', 'No workload JobSet ml-research/train-1')),
      }),
      true,
      'card',
      ['group:default/vision'],
    );
    expect(
      await screen.findByText(
        /You may not see this team's workloads: JobSet ml-research\/train-1 on cluster gpu-west belongs to ml-research/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/is no longer on cluster/)).not.toBeInTheDocument();
  });

  it('shows where an admitted workload runs and its cost to date and projected', async () => {
    await render(fakeApi(runningWorkload), true);
    const assignment = await screen.findByRole('list', { name: 'Assignment' });
    expect(assignment).toHaveTextContent('cluster gpu-west, ClusterQueue research');
    expect(assignment).toHaveTextContent(
      'workers: 4 pods, 32 GPUs · gpu on h100, cpu on h100 · nodes gpu-node-1, gpu-node-2',
    );
    expect(assignment).toHaveTextContent('launcher: 1 pods · cpu on cpu-pool');
    expect(await screen.findByText('$187.25 (74.9 GPU-hours), now $80.00 per hour')).toBeInTheDocument();
    expect(screen.getByText('$412.50 at completion')).toBeInTheDocument();
    // The summary has a utilization sparkline, but no timeline, cost chart or events.
    expect(
      screen.getByRole('img', { name: 'GPU utilization sparkline: mean 75 %, latest 90 % over 4 samples' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Condition timeline' })).not.toBeInTheDocument();
    expect(screen.queryByRole('figure', { name: 'Cost accrual' })).not.toBeInTheDocument();
  });

  it('says clearly that cost is not available when the cost route answers 404', async () => {
    await render(
      fakeApi(runningWorkload, {
        workloadCost: async () => Promise.reject(await failedResponse(404, 'Not Found', 'no such route')),
      }),
      true,
    );
    expect(
      await screen.findByText(/Cost not available: the AI platform has no cost record for this workload/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Cost to date/)).not.toBeInTheDocument();
  });

  it('passes on why the backend refuses the cost', async () => {
    const refusal = 'The costs of JobSet ml-research/train-1 belong to team ml-research; you may see those of vision';
    await render(
      fakeApi(runningWorkload, {
        workloadCost: async () => Promise.reject(await failedResponse(403, 'Forbidden', refusal)),
      }),
      true,
    );
    expect(
      await screen.findByText(`Cost not available: you may not see this workload's costs (${refusal}).`),
    ).toBeInTheDocument();
  });
});

describe('WorkloadContent (the AI workload tab)', () => {
  it('orders the condition history and keeps reasons', () => {
    expect(timelineOf(runningWorkload).map(e => e.label)).toEqual([
      'Created',
      'Queued',
      'Preempted',
      'Admitted',
      'Pods ready',
    ]);
    const finished = {
      ...runningWorkload,
      state: 'Succeeded' as const,
      finishedAt: '2026-11-23T12:00:00Z',
    };
    expect(timelineOf(finished).at(-1)).toMatchObject({
      label: 'Finished (Succeeded)',
      time: '2026-11-23T12:00:00Z',
    });
  });

  it('shows the timeline, GPU utilization and the most recent events first', async () => {
    await render(fakeApi(runningWorkload), true, 'tab');
    const timeline = await screen.findByRole('list', {
      name: 'Condition timeline',
    });
    const steps = within(timeline).getAllByRole('listitem');
    expect(steps.map(s => s.firstElementChild?.nextElementSibling?.firstChild?.textContent?.trim())).toEqual([
      'Created',
      'Queued',
      'Preempted',
      'Admitted',
      'Pods ready',
    ]);
    expect(steps[2]).toHaveTextContent('InCohortReclamation: Preempted to reclaim quota lent to cohort training');
    expect(
      screen.getByRole('figure', {
        name: /^Life of the workload: Queued 1 h 10 min, Preempted 30 min, Admitted 3 min, Running/,
      }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('figure', { name: 'Cost accrual' })).toBeInTheDocument();

    expect(
      await screen.findByRole('img', {
        name: 'GPU utilization over time: mean 75 %, latest 90 % over 4 samples',
      }),
    ).toBeInTheDocument();

    const events = await screen.findByRole('list', {
      name: 'Recent Kubernetes events',
    });
    const items = within(events).getAllByRole('listitem');
    expect(items.map(i => i.querySelector('strong')?.textContent)).toEqual([
      'Started',
      'Admitted',
      'Warning Preempted',
    ]);
    expect(items[0]).toHaveTextContent('4 times · kubelet');
  });

  it('says GPU utilization is not available when Prometheus has none, and when events fail', async () => {
    const api = fakeApi(runningWorkload, {
      workloadCost: async () => ({ ...runningCost, utilization: null }),
      workloadEvents: async () => Promise.reject(new Error('events API unreachable')),
    });
    await render(api, true, 'tab');
    expect(await screen.findByText(/not available: the platform has no DCGM metrics/)).toBeInTheDocument();
    expect(await screen.findByText('Events could not be loaded: events API unreachable.')).toBeInTheDocument();
    expect(screen.getByText(/\$187\.25/)).toBeInTheDocument();
  });

  it('shows tokens per second, TTFT p95 and cost per million tokens for inference services', async () => {
    const service = {
      ...runningWorkload,
      kind: 'InferenceService',
      entityType: 'inference-service' as const,
    };
    const api = fakeApi(service, {
      workloadCost: async () => ({
        ...runningCost,
        projectedMicros: null,
        inference: {
          tokensPerSecond: 1520.44,
          timeToFirstTokenP95Seconds: 0.182,
          costPerMillionTokensMicros: 2_350_000,
        },
      }),
    });
    await render(api, true, 'tab');
    expect(await screen.findByText('1520.4')).toBeInTheDocument();
    expect(screen.getByText('182 ms')).toBeInTheDocument();
    expect(screen.getByText('$2.35')).toBeInTheDocument();
    expect(screen.getByText('unknown (no expected run time)')).toBeInTheDocument();
    await waitFor(() => expect(api.workloadEvents).toHaveBeenCalled());
  });
});
