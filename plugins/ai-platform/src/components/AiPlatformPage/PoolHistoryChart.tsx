import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Flex, Text } from '@backstage/ui';
import type { PoolHistoryResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { seriesColors, tick, tooltipStyle } from '../CostExplorer/CostCharts';

export interface PoolSeries {
  cluster: string;
  flavor: string;
  points: Array<{ time: string; label: string; allocated: number; utilization: number | null }>;
}

const timeLabel = (iso: string, stepHours: number) =>
  stepHours >= 24 ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

/** The history's points per pool (cluster, then flavor), utilization as a percentage. */
export function poolSeries(history: PoolHistoryResponse, cluster?: string): PoolSeries[] {
  const pools = new Map<string, PoolSeries>();
  for (const p of history.points) {
    if (cluster && p.cluster !== cluster) continue;
    const key = `${p.cluster}/${p.flavor}`;
    const pool = pools.get(key) ?? { cluster: p.cluster, flavor: p.flavor, points: [] };
    pools.set(key, pool);
    pool.points.push({
      time: p.time,
      label: timeLabel(p.time, history.stepHours),
      allocated: Math.round(p.allocatedGpus * 10) / 10,
      utilization: p.utilization === null ? null : Math.round(p.utilization * 1000) / 10,
    });
  }
  return [...pools.values()]
    .filter(p => p.points.some(x => x.allocated > 0))
    .sort((a, b) => `${a.cluster}/${a.flavor}`.localeCompare(`${b.cluster}/${b.flavor}`));
}

/** Per pool: allocated GPUs (area, left axis) and DCGM utilization of them (line, right axis, %) over time. */
export function PoolHistoryChart({ history, cluster }: { history: PoolHistoryResponse; cluster?: string }) {
  const pools = poolSeries(history, cluster);
  if (pools.length === 0) return <Text>No pool had GPUs allocated in this window.</Text>;
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))', gap: 16 }}>
      {pools.map(pool => {
        const label = `Pool ${pool.flavor} on ${pool.cluster}: allocated GPUs and utilization`;
        return (
          <figure key={`${pool.cluster}/${pool.flavor}`} aria-label={label} style={{ margin: 0 }}>
            <Flex direction="column" gap="1">
              <Text variant="body-medium" weight="bold">
                {pool.flavor} ({pool.cluster})
              </Text>
              <ResponsiveContainer width="100%" height={200}>
                <ComposedChart data={pool.points} margin={{ left: 0, right: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
                  <XAxis dataKey="label" tick={tick} minTickGap={24} />
                  <YAxis yAxisId="gpus" tick={tick} width={40} allowDecimals={false} />
                  <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={tick} width={48} />
                  <Tooltip contentStyle={tooltipStyle} />
                  <Legend />
                  <Area
                    yAxisId="gpus"
                    type="stepAfter"
                    dataKey="allocated"
                    name="Allocated GPUs"
                    stroke={seriesColors[0]}
                    fill={seriesColors[0]}
                    fillOpacity={0.4}
                    isAnimationActive={false}
                  />
                  {history.utilizationKnown && (
                    <Line
                      yAxisId="share"
                      dataKey="utilization"
                      name="Utilization %"
                      stroke={seriesColors[1]}
                      dot={false}
                      connectNulls={false}
                      isAnimationActive={false}
                    />
                  )}
                </ComposedChart>
              </ResponsiveContainer>
            </Flex>
          </figure>
        );
      })}
    </div>
  );
}
