import { Fragment } from 'react';
import { Text } from '@backstage/ui';
import type { ClusterSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

interface Cell {
  allocated: number;
  capacity: number;
}

/** Share of allocated GPUs as a blue of matching strength; text states the numbers. */
function shade(cell?: Cell) {
  if (!cell || cell.capacity === 0) return 'transparent';
  const ratio = Math.min(1, cell.allocated / cell.capacity);
  return `rgba(21, 101, 192, ${0.12 + ratio * 0.78})`;
}

/** Fleet capacity by cluster and GPU type: allocated, free and idle-by-allocation at a glance. */
export function FleetHeatmap({ clusters }: { clusters: ClusterSummary[] }) {
  const cells = new Map<string, Cell>();
  const products = new Set<string>();
  for (const c of clusters) {
    for (const f of c.flavors) {
      const product = f.gpuProduct ?? f.name;
      const capacity = Object.entries(f.capacity)
        .filter(([r]) => r.startsWith('nvidia.com/'))
        .reduce((s, [, v]) => s + v, 0);
      const allocated = Object.entries(f.allocated)
        .filter(([r]) => r.startsWith('nvidia.com/'))
        .reduce((s, [, v]) => s + v, 0);
      if (capacity === 0) continue;
      products.add(product);
      const key = `${c.name}|${product}`;
      const cell = cells.get(key) ?? { allocated: 0, capacity: 0 };
      cell.allocated += allocated;
      cell.capacity += capacity;
      cells.set(key, cell);
    }
  }
  const columns = [...products].sort();
  if (columns.length === 0) return <Text>No GPU nodes reported by any cluster.</Text>;
  return (
    <div
      role="table"
      aria-label="GPU capacity by cluster and GPU type"
      style={{ display: 'grid', gridTemplateColumns: `160px repeat(${columns.length}, minmax(120px, 1fr))`, gap: 4 }}
    >
      <div role="columnheader" />
      {columns.map(p => (
        <div key={p} role="columnheader" style={{ fontWeight: 600, fontSize: '0.85em', padding: 4 }}>
          {p}
        </div>
      ))}
      {clusters.map(c => (
        <Fragment key={c.name}>
          <div role="rowheader" style={{ fontWeight: 600, padding: 4 }}>
            {c.name}
            {c.connected ? '' : ' (disconnected)'}
          </div>
          {columns.map(p => {
            const cell = cells.get(`${c.name}|${p}`);
            return (
              <div
                key={p}
                role="cell"
                title={cell ? `${cell.allocated} of ${cell.capacity} GPUs allocated` : 'none'}
                style={{
                  background: shade(cell),
                  padding: 8,
                  borderRadius: 4,
                  color: cell && cell.allocated / cell.capacity > 0.5 ? '#fff' : 'inherit',
                }}
              >
                {cell ? `${cell.allocated} / ${cell.capacity} allocated · ${cell.capacity - cell.allocated} free` : '—'}
              </div>
            );
          })}
        </Fragment>
      ))}
    </div>
  );
}
