import { Fragment } from 'react';
import { Text } from '@backstage/ui';
import type { ClusterSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { productLabel, type GpuPool } from './gpuPools';

/** Share of allocated units as a blue of matching strength, light enough for dark text at any share; the text states the numbers. */
function shade(pool?: GpuPool) {
  if (!pool || pool.capacity === 0) return 'transparent';
  const ratio = Math.min(1, pool.allocated / pool.capacity);
  return `rgba(21, 101, 192, ${0.08 + ratio * 0.37})`;
}

const columnOf = (p: GpuPool) => `${productLabel(p.gpuProduct)} · ${p.unitLabel}`;

/** Allocation of every pool by cluster (rows) and GPU product and unit (columns): MIG slices and time-sliced shares are columns of their own. */
export function FleetHeatmap({ clusters, pools }: { clusters: ClusterSummary[]; pools: GpuPool[] }) {
  const cells = new Map(pools.map(p => [`${p.cluster}|${columnOf(p)}`, p]));
  const columns = [...new Set(pools.map(columnOf))].sort();
  if (columns.length === 0) return <Text>No GPU nodes reported by any cluster.</Text>;
  return (
    <div style={{ overflowX: 'auto' }}>
      <div
        role="table"
        aria-label="GPU allocation by cluster and pool"
        style={{
          display: 'grid',
          gridTemplateColumns: `minmax(90px, 140px) repeat(${columns.length}, minmax(96px, 1fr))`,
          gap: 4,
          fontSize: '0.85em',
        }}
      >
        <div role="row" style={{ display: 'contents' }}>
          <div role="columnheader">Cluster</div>
          {columns.map(c => (
            <div key={c} role="columnheader" style={{ fontWeight: 600, padding: 4 }}>
              {c}
            </div>
          ))}
        </div>
        {clusters.map(c => (
          <Fragment key={c.name}>
            <div role="row" style={{ display: 'contents' }}>
              <div role="rowheader" style={{ fontWeight: 600, padding: 4 }}>
                {c.name}
                {c.connected ? '' : ' (disconnected)'}
              </div>
              {columns.map(col => {
                const pool = cells.get(`${c.name}|${col}`);
                return (
                  <div
                    key={col}
                    role="cell"
                    style={{
                      background: shade(pool),
                      padding: 6,
                      borderRadius: 4,
                      color: '#111',
                    }}
                  >
                    {pool ? `${pool.allocated} / ${pool.capacity} allocated` : '—'}
                  </div>
                );
              })}
            </div>
          </Fragment>
        ))}
      </div>
    </div>
  );
}
