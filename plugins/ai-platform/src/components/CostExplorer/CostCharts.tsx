import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
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
const tick = { fill: 'var(--bui-fg-secondary, #666)', fontSize: 12 };
const tooltipStyle = {
  background: 'var(--bui-bg-neutral-1, #fff)',
  border: '1px solid var(--bui-border-1, #ccc)',
  color: 'var(--bui-fg-primary, #000)',
};

/** Cost per day, stacked by group. */
export function DailyCostChart(props: {
  points: Array<Record<string, number | string>>;
  keys: string[];
  currency: string;
}) {
  const money = (v: number) => formatAmount(v, props.currency, { compact: true });
  return (
    <figure aria-label="Cost per day by group" style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={300}>
        <AreaChart data={props.points} margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
          <XAxis dataKey="day" tick={tick} />
          <YAxis tickFormatter={money} tick={tick} width={80} />
          <Tooltip formatter={(v: number) => money(v)} contentStyle={tooltipStyle} />
          <Legend />
          {props.keys.map((key, i) => (
            <Area
              key={key}
              type="monotone"
              dataKey={key}
              name={key}
              stackId="cost"
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

/** Total cost per ResourceFlavor. */
export function FlavorCostChart(props: { flavors: Array<{ key: string; costMicros: number }>; currency: string }) {
  const money = (v: number) => formatAmount(v, props.currency, { compact: true });
  const data = props.flavors.map(f => ({ flavor: f.key, cost: f.costMicros / 1_000_000 }));
  return (
    <figure aria-label="Cost by flavor" style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={40 + data.length * 36}>
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
          <XAxis type="number" tickFormatter={money} tick={tick} />
          <YAxis type="category" dataKey="flavor" width={140} tick={tick} />
          <Tooltip formatter={(v: number) => money(v)} contentStyle={tooltipStyle} />
          <Bar dataKey="cost" name="Cost" fill={seriesColors[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
