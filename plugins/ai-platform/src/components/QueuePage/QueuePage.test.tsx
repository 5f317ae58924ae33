import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { aiPlatformApiRef, type AiPlatformApi } from '../../api/AiPlatformApi';
import { QueuePage } from './QueuePage';
import type { QueueListResponse, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import queueFixtures from './__fixtures__/queues.json';

const queueFixture = queueFixtures.queueFixture as QueueListResponse;
const researchPending = queueFixtures.researchPending as WorkloadSummary[];

function queueEntity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'gpu-west-research', annotations },
    spec: { type: 'gpu-queue', owner: 'group:default/platform' },
  };
}

const clusterQueueEntity = queueEntity({
  'ai-platform.io/cluster': 'gpu-west',
  'ai-platform.io/cluster-queue': 'research',
});

function renderPage(api: Partial<AiPlatformApi>, entity: Entity = clusterQueueEntity) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <EntityProvider entity={entity}>
        <QueuePage />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const api = {
  listQueues: async () => queueFixture,
  listWorkloads: jest.fn(async () => ({
    items: researchPending,
    total: researchPending.length,
  })),
};

describe('QueuePage', () => {
  it('shows the whole cohort tree around the queue with usage per flavor and fair shares', async () => {
    await renderPage(api);
    const tree = await screen.findByRole('list', { name: 'Cohort tree' });
    const org = within(tree).getByRole('region', { name: 'Cohort org' });
    const training = within(org).getByRole('region', {
      name: 'Cohort training',
    });
    expect(within(org).getByRole('region', { name: 'Cohort inference' })).toHaveTextContent('ClusterQueue serving');
    expect(within(training).getByText('ClusterQueue research (this queue)')).toBeInTheDocument();
    expect(within(training).getByText('ClusterQueue vision')).toBeInTheDocument();
    // The queue without cohort and the other cluster's research queue are not part of this tree.
    expect(within(tree).queryByText(/sandbox/)).not.toBeInTheDocument();
    expect(within(tree).getAllByText(/ClusterQueue research/)).toHaveLength(1);

    const gpuMeter = screen.getByRole('meter', {
      name: 'research h100 gpu usage',
    });
    expect(gpuMeter).toHaveAttribute(
      'aria-valuetext',
      '20 used of 16 nominal · 4 borrowed · lending limit 4 · borrowing limit 8',
    );
    expect(screen.getByRole('meter', { name: 'research h100 memory usage' })).toHaveAttribute(
      'aria-valuetext',
      '1024 GiB used of 2048 GiB nominal · 0 GiB borrowed',
    );
    expect(screen.getByRole('meter', { name: 'vision h100 gpu usage' })).toHaveAttribute(
      'aria-valuetext',
      '2 used of 8 nominal · 0 borrowed · lending limit 6',
    );
    expect(screen.getByText(/3 pending · 5 admitted · fair share 412 · StrictFIFO/)).toBeInTheDocument();
    expect(screen.getByText(/fair share 120/)).toBeInTheDocument();
    expect(screen.getByText('Pooled: h100 gpu 22 of 24 in use · l40s gpu 12 of 12 in use')).toBeInTheDocument();
  });

  it('lists the ClusterQueue’s pending workloads in admission order with reasons, runbooks and ETAs', async () => {
    await renderPage(api);
    expect(api.listWorkloads).toHaveBeenCalledWith({
      cluster: 'gpu-west',
      clusterQueue: 'research',
      state: 'Pending',
    });
    const table = await screen.findByRole('grid', {
      name: 'Pending workloads in admission order',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => within(r).getByRole('rowheader').textContent)).toEqual([
      'ml-research/vit-sweepteam ml-research',
      'ml-research/moe-pretrainteam ml-research',
      'llm-serving/llama-finetuneteam llm-serving',
    ]);
    expect(rows[0]).toHaveTextContent('#1');
    expect(rows[0]).toHaveTextContent('requested 8, available 2');
    expect(within(rows[0]).getByRole('link', { name: 'Runbook for QuotaExhausted' })).toHaveAttribute(
      'href',
      '/docs/default/component/ai-platform-runbooks/runbooks/QuotaExhausted/',
    );
    expect(rows[0]).toHaveTextContent(new Date('2026-11-23T13:30:00Z').toLocaleString());
    expect(rows[1]).toHaveTextContent('No NVLink domain can hold 16 GPUs');
    expect(rows[2]).toHaveTextContent('#3');
    expect(rows[2]).toHaveTextContent('unknown');
    expect(screen.queryByText(/other-queue-job/)).not.toBeInTheDocument();
  });

  it('marks the LocalQueue’s own workloads with their position in it', async () => {
    await renderPage(
      api,
      queueEntity({
        'ai-platform.io/cluster': 'gpu-west',
        'ai-platform.io/cluster-queue': 'research',
        'ai-platform.io/queue': 'research',
        'backstage.io/kubernetes-namespace': 'ml-research',
      }),
    );
    expect(
      await screen.findByText('LocalQueue ml-research/research → ClusterQueue research on gpu-west'),
    ).toBeInTheDocument();
    expect(screen.getByText('#2 in research')).toBeInTheDocument();
    expect(screen.getAllByText('this queue')).toHaveLength(2);
  });

  it('shows a queue without cohort on its own and says it does not share quota', async () => {
    await renderPage(
      { ...api, listWorkloads: async () => ({ items: [], total: 0 }) },
      queueEntity({
        'ai-platform.io/cluster': 'gpu-west',
        'ai-platform.io/cluster-queue': 'sandbox',
      }),
    );
    expect(await screen.findByText(/In no cohort/)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Cohort tree' })).not.toBeInTheDocument();
    expect(screen.getByRole('meter', { name: 'sandbox l4 gpu usage' })).toBeInTheDocument();
    expect(screen.getByText('Nothing is waiting in this ClusterQueue.')).toBeInTheDocument();
  });

  it('says how many waiting workloads the user may not see instead of claiming nothing waits', async () => {
    await renderPage({
      ...api,
      listWorkloads: async () => ({
        items: researchPending.slice(0, 1),
        total: 1,
      }),
    });
    expect(
      await screen.findByText(/2 more workloads wait in this ClusterQueue that you may not see/),
    ).toBeInTheDocument();
    expect(screen.queryByText('Nothing is waiting in this ClusterQueue.')).not.toBeInTheDocument();
  });

  it('leaves out flavors without quota or use', async () => {
    const queues = structuredClone(queueFixture);
    queues.clusterQueues[1].resources.push({
      flavor: 'b200',
      resource: 'nvidia.com/gpu',
      nominal: 0,
      used: 0,
      borrowed: 0,
    });
    queues.clusterQueues[1].resources.push({
      flavor: 'a100-mig',
      resource: 'nvidia.com/mig-1g.10gb',
      nominal: 14,
      used: 7,
      borrowed: 0,
    });
    await renderPage({ ...api, listQueues: async () => queues });
    expect(
      await screen.findByRole('meter', {
        name: 'vision a100-mig mig-1g.10gb usage',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('meter', { name: 'vision b200 gpu usage' })).not.toBeInTheDocument();
  });

  it('says what is wrong when the entity or the queue cannot be resolved, and shows backend errors', async () => {
    await renderPage(api, queueEntity({ 'ai-platform.io/cluster': 'gpu-west' }));
    expect(screen.getByText(/has no ai-platform.io\/cluster-queue annotation/)).toBeInTheDocument();
  });

  it('warns when the backend does not know the ClusterQueue', async () => {
    await renderPage(
      api,
      queueEntity({
        'ai-platform.io/cluster': 'gpu-west',
        'ai-platform.io/cluster-queue': 'gone',
      }),
    );
    expect(await screen.findByText(/does not know ClusterQueue gone on cluster gpu-west/)).toBeInTheDocument();
  });

  it('shows a backend failure with a retry', async () => {
    await renderPage({
      ...api,
      listQueues: async () => Promise.reject(new Error('backend down')),
    });
    expect(await screen.findByText(/backend down/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
