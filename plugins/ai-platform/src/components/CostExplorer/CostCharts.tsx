import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  idleAllocationName,
  type AllocationEntry,
  type AllocationResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { formatAmount } from '../common/format';

/** Tableau 10: distinguishable for most colour-vision deficiencies and readable on light and dark backgrounds. */
export const seriesColors = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

// Theme variables keep axes and tooltips legible in light and dark themes.
export const tick = { fill: 'var(--bui-fg-secondary, #666)', fontSize: 12 };
export const tooltipStyle = {
  background: 'var(--bui-bg-neutral-1, #fff)',
  border: '1px solid var(--bui-border-1, #ccc)',
  color: 'var(--bui-fg-primary, #000)',
};

/** A solid line of what happened and a dashed one of what is expected, as children of a recharts LineChart. */
export function actualAndForecastLines(actual: { key: string; name: string }, forecast: { key: string; name: string }) {
  return (
    <>
      <Line dataKey={actual.key} name={actual.name} stroke={seriesColors[0]} dot={false} isAnimationActive={false} />
      <Line
        dataKey={forecast.key}
        name={forecast.name}
        stroke={seriesColors[1]}
        strokeDasharray="6 3"
        dot={false}
        isAnimationActive={false}
      />
    </>
  );
}

/** A value per day, stacked by group; `format` writes the axis and tooltip values. */
export function DailyStackedChart(props: {
  points: Array<Record<string, number | string>>;
  keys: string[];
  format: (value: number) => string;
  label: string;
}) {
  return (
    <figure aria-label={props.label} style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={300}>
        <AreaChart data={props.points} margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
          <XAxis dataKey="day" tick={tick} />
          <YAxis tickFormatter={props.format} tick={tick} width={80} />
          <Tooltip formatter={(v: number) => props.format(v)} contentStyle={tooltipStyle} />
          <Legend />
          {props.keys.map((key, i) => (
            <Area
              key={key}
              type="monotone"
              dataKey={key}
              name={key}
              stackId="stack"
              stroke={seriesColors[i % seriesColors.length]}
              fill={seriesColors[i % seriesColors.length]}
              fillOpacity={0.6}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Cost per day, stacked by group. */
export function DailyCostChart(props: {
  points: Array<Record<string, number | string>>;
  keys: string[];
  currency: string;
}) {
  const money = (v: number) => formatAmount(v, props.currency, { compact: true });
  return <DailyStackedChart points={props.points} keys={props.keys} format={money} label="Cost per day by group" />;
}

/** Total cost per group (flavor, GPU product), largest first. */
export function CostBarChart(props: {
  groups: Array<{ key: string; costMicros: number }>;
  currency: string;
  label: string;
}) {
  const money = (v: number) => formatAmount(v, props.currency, { compact: true });
  const data = props.groups.map(f => ({ group: f.key, cost: f.costMicros / 1_000_000 }));
  return (
    <figure aria-label={props.label} style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={40 + data.length * 36}>
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
          <XAxis type="number" tickFormatter={money} tick={tick} />
          <YAxis type="category" dataKey="group" width={150} tick={tick} />
          <Tooltip formatter={(v: number) => money(v)} contentStyle={tooltipStyle} />
          <Bar dataKey="cost" name="Cost" fill={seriesColors[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Per group, the cost of GPU time its pods used and of the time they held GPUs idle, stacked; unallocated capacity as its own bar. */
export function UsedIdleChart({ allocation, currency }: { allocation: AllocationResponse; currency: string }) {
  const money = (v: number) => formatAmount(v, currency, { compact: true });
  const entries = Object.values(Object.assign({}, ...allocation.data) as Record<string, AllocationEntry>);
  const data = entries
    .map(e => {
      const idle = e.idleCost ?? 0;
      const unallocated = e.name === idleAllocationName;
      return {
        group: unallocated ? 'unallocated capacity' : e.name,
        used: unallocated ? 0 : Math.max(0, e.gpuCost - idle),
        idle: unallocated ? e.gpuCost : idle,
      };
    })
    .sort((a, b) => b.used + b.idle - (a.used + a.idle));
  return (
    <figure aria-label="Used and idle GPU cost" style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={60 + data.length * 32}>
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
          <XAxis type="number" tickFormatter={money} tick={tick} />
          <YAxis type="category" dataKey="group" width={150} tick={tick} />
          <Tooltip formatter={(v: number) => money(v)} contentStyle={tooltipStyle} />
          <Legend />
          <Bar dataKey="used" name="Used" stackId="cost" fill={seriesColors[0]} isAnimationActive={false} />
          <Bar dataKey="idle" name="Idle" stackId="cost" fill={seriesColors[9]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
