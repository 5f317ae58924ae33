import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import type {
  ClusterSummary,
  FleetNodesResponse,
  QueueListResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import clusters from './__fixtures__/clusters.json';
import queues from './__fixtures__/queues.json';
import nodesFixture from './__fixtures__/nodes.json';
import { FleetHeatmap, poolNodes } from './FleetHeatmap';
import { gpuPools } from './gpuPools';

const pools = gpuPools(clusters as unknown as ClusterSummary[], queues as unknown as QueueListResponse);
const nodes = nodesFixture as FleetNodesResponse;

describe('FleetHeatmap', () => {
  it("puts each node in the pools of its cluster, flavor and GPU resource, a MIG node in each profile's", () => {
    const rows = poolNodes(pools, nodes.nodes).map(
      r => `${r.pool.cluster}/${r.pool.flavor}/${r.pool.resource}: ${r.cells.map(c => c.node.name).join(' ')}`,
    );
    expect(rows).toEqual([
      'gpu-east/a100-mig/nvidia.com/mig-1g.10gb: gpu-east-a100-mig-0',
      'gpu-east/a100-mig/nvidia.com/mig-3g.40gb: gpu-east-a100-mig-0',
      'gpu-east/h100/nvidia.com/gpu: gpu-east-h100-0 gpu-east-h100-1',
      'gpu-east/l4-shared/nvidia.com/gpu.shared: gpu-east-l4-shared-0',
      'gpu-west/a10g/nvidia.com/gpu: ',
      'gpu-west/h100/nvidia.com/gpu: gpu-west-h100-0',
    ]);
  });

  it('shows one cell per node with its name, flavor and figures as text, and on hover', async () => {
    await renderInTestApp(<FleetHeatmap pools={pools} nodes={nodes} />);
    const h100 = screen.getByRole('list', { name: 'Nodes of pool h100 on gpu-east (whole GPUs)' });
    const cells = within(h100).getAllByRole('listitem');
    expect(cells.map(c => c.textContent)).toEqual([
      expect.stringContaining(
        'gpu-east-h100-0: flavor h100, H100 80GB HBM3; 6 of 8 whole GPUs allocated (75 %); DCGM utilization 73 % (last 5 min)',
      ),
      expect.stringContaining('gpu-east-h100-1 (not ready): flavor h100'),
    ]);
    expect(
      within(screen.getByRole('list', { name: 'Nodes of pool a100-mig on gpu-east (MIG 1g.10gb slices)' })).getByRole(
        'listitem',
      ),
    ).toHaveTextContent('gpu-east-a100-mig-0 (cordoned): flavor a100-mig, A100 SXM4 80GB; 3 of 32 MIG 1g.10gb slices');
    expect(
      screen.getByRole('list', { name: 'Nodes of pool l4-shared on gpu-east (time-sliced shares)' }),
    ).toHaveTextContent('5 of 16 time-sliced shares allocated');
    // A pool whose nodes are not listed gets no empty row.
    expect(screen.queryByRole('list', { name: /a10g/ })).not.toBeInTheDocument();

    fireEvent.mouseOver(cells[0]);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('gpu-east-h100-0: flavor h100');
  });

  it('says when utilization is unknown, and when no node is reported', async () => {
    const unknown = {
      utilizationKnown: false,
      nodes: nodes.nodes.map(n => ({ ...n, utilization: null })),
    };
    await renderInTestApp(<FleetHeatmap pools={pools} nodes={unknown} />);
    expect(screen.getByText(/Utilization is unknown/)).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Nodes of pool h100 on gpu-west (whole GPUs)' })).getByRole('listitem'),
    ).toHaveTextContent('8 of 8 whole GPUs allocated (100 %); utilization unknown');
    await renderInTestApp(<FleetHeatmap pools={pools} nodes={{ utilizationKnown: false, nodes: [] }} />);
    expect(screen.getByText('No cluster reports nodes for its GPU pools.')).toBeInTheDocument();
  });
});
