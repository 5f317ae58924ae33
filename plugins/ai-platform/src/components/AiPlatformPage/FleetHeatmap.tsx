import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import { Flex, Text, VisuallyHidden } from '@backstage/ui';
import type { FleetNode, FleetNodesResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { formatShare } from '../common/format';
import { productLabel, type GpuPool } from './gpuPools';

/** One node's share of one pool: its units of the pool's GPU resource. */
export interface NodeCell {
  node: FleetNode;
  capacity: number;
  allocated: number;
}

/** The nodes of one pool (cluster, flavor and GPU resource), in name order. */
export interface PoolNodes {
  pool: GpuPool;
  cells: NodeCell[];
}

/**
 * Each pool's nodes: those of its cluster that its flavor selects and that
 * offer (or have pods holding) its GPU resource. A MIG node with two profiles
 * is in the pool of each; a pool whose nodes are not listed has no cells.
 */
export function poolNodes(pools: GpuPool[], nodes: FleetNode[]): PoolNodes[] {
  return pools.map(pool => ({
    pool,
    cells: nodes.flatMap(node => {
      const gpu = node.gpus.find(g => g.resource === pool.resource);
      if (node.cluster !== pool.cluster || !node.flavors.includes(pool.flavor) || !gpu) return [];
      if (gpu.capacity === 0 && gpu.allocated === 0) return [];
      return [{ node, capacity: gpu.capacity, allocated: gpu.allocated }];
    }),
  }));
}

/** Share of allocated units as a blue of matching strength, light enough for dark text at any share. */
function shade(cell: NodeCell) {
  const ratio = cell.capacity ? Math.min(1, cell.allocated / cell.capacity) : 1;
  return `rgba(21, 101, 192, ${0.08 + ratio * 0.37})`;
}

/** What a cell says, to the eye on hover and to a screen reader always. */
export function describeCell(cell: NodeCell, pool: GpuPool, utilizationKnown: boolean): string {
  const { node } = cell;
  const state = [!node.ready && 'not ready', node.unschedulable && 'cordoned'].filter(Boolean).join(', ');
  let utilization = 'utilization unknown';
  if (utilizationKnown) {
    utilization =
      node.utilization === null
        ? 'no DCGM utilization (no pod with telemetry)'
        : `DCGM utilization ${formatShare(node.utilization)} (last 5 min)`;
  }
  return (
    `${node.name}${state ? ` (${state})` : ''}: flavor ${pool.flavor}, ${productLabel(node.gpuProduct)}; ` +
    `${cell.allocated} of ${cell.capacity} ${pool.unitLabel} allocated (${formatShare(
      cell.capacity ? cell.allocated / cell.capacity : null,
    )}); ${utilization}`
  );
}

function Cell({ cell, pool, utilizationKnown }: { cell: NodeCell; pool: GpuPool; utilizationKnown: boolean }) {
  const text = describeCell(cell, pool, utilizationKnown);
  const utilization = cell.node.utilization;
  return (
    <Tooltip title={text} arrow>
      <li
        style={{
          listStyle: 'none',
          width: 64,
          padding: '4px 6px',
          borderRadius: 4,
          background: shade(cell),
          color: '#111',
          border: cell.node.ready && !cell.node.unschedulable ? '1px solid transparent' : '1px dashed #b71c1c',
          fontSize: '0.8em',
        }}
      >
        <span aria-hidden>
          {cell.allocated}/{cell.capacity}
        </span>
        <VisuallyHidden>{text}</VisuallyHidden>
        {utilizationKnown && utilization !== null && (
          <LinearProgress aria-hidden variant="determinate" value={Math.round(utilization * 100)} />
        )}
      </li>
    </Tooltip>
  );
}

/**
 * One cell per node in each pool, shaded by the share of its units
 * allocated, with a bar for its DCGM utilization when telemetry gives it.
 * MIG slices and time-sliced shares are pools of their own; each cell's
 * text (name, flavor, figures) is in the tooltip and for screen readers.
 */
export function FleetHeatmap({ pools, nodes }: { pools: GpuPool[]; nodes: FleetNodesResponse }) {
  const rows = poolNodes(pools, nodes.nodes).filter(r => r.cells.length > 0);
  if (rows.length === 0) return <Text>No cluster reports nodes for its GPU pools.</Text>;
  return (
    <Flex direction="column" gap="3">
      {rows.map(({ pool, cells }) => {
        const name = `Nodes of pool ${pool.flavor} on ${pool.cluster} (${pool.unitLabel})`;
        return (
          <Flex key={`${pool.cluster}/${pool.flavor}/${pool.resource}`} direction="column" gap="1">
            <Text variant="body-small" weight="bold">
              {pool.cluster} · {pool.flavor} · {productLabel(pool.gpuProduct)} · {pool.unitLabel}
            </Text>
            <ul aria-label={name} style={{ display: 'flex', flexWrap: 'wrap', gap: 4, margin: 0, padding: 0 }}>
              {cells.map(cell => (
                <Cell key={cell.node.name} cell={cell} pool={pool} utilizationKnown={nodes.utilizationKnown} />
              ))}
            </ul>
          </Flex>
        );
      })}
      <Text variant="body-small">
        Shade: share of the node's units allocated (darker is fuller); a dashed border marks a node that is not ready or
        cordoned.
        {nodes.utilizationKnown
          ? ' The bar is DCGM utilization of its pods over the last five minutes.'
          : ' Utilization is unknown: the backend has no DCGM metrics.'}
      </Text>
    </Flex>
  );
}
