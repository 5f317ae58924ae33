import { CartesianGrid, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '@backstage/core-plugin-api';
import { Skeleton, Text } from '@backstage/ui';
import type {
  ShowbackResponse,
  WorkloadCostResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { formatAmount } from '../common/format';
import { actualAndForecastLines } from '../CostExplorer/CostCharts';

/** The window of ledger rows the accrual chart reads. */
const accrualWindow = '7d';

export interface AccrualPoint {
  t: number;
  /** Cost accrued by the end of the bucket, whole currency units. */
  accrued?: number;
  /** Expected cost at completion, from the projection. */
  projected?: number;
}

/**
 * Cost accrued over time from the ledger's rows of this workload (by hour
 * when the rows have hours, else by day), ending at today's cost to date,
 * and a line to the projected cost at the expected end.
 */
export function accrualOf(
  workload: WorkloadSummary,
  rows: ShowbackResponse['rows'],
  cost: WorkloadCostResponse,
  now = Date.now(),
): AccrualPoint[] {
  const bucketEnd = (r: ShowbackResponse['rows'][number]) =>
    r.hour ? Date.parse(r.hour) + 3_600_000 : Date.parse(`${r.day}T00:00:00Z`) + 86_400_000;
  const mine = rows.filter(r => r.key === workload.name).sort((a, b) => bucketEnd(a) - bucketEnd(b));
  const points: AccrualPoint[] = [{ t: Date.parse(workload.admittedAt ?? workload.createdAt), accrued: 0 }];
  let sum = 0;
  for (const r of mine) {
    sum += r.costMicros;
    const t = Math.min(bucketEnd(r), now);
    if (t > points[points.length - 1].t) points.push({ t, accrued: sum / 1_000_000 });
  }
  const last = points[points.length - 1];
  if (now > last.t) points.push({ t: now, accrued: cost.costToDateMicros / 1_000_000 });
  else last.accrued = cost.costToDateMicros / 1_000_000;
  const started = workload.admittedAt ? Date.parse(workload.admittedAt) : undefined;
  if (cost.projectedMicros !== null && started && workload.expectedDurationSeconds) {
    const end = started + workload.expectedDurationSeconds * 1000;
    if (end > now) {
      points[points.length - 1].projected = cost.costToDateMicros / 1_000_000;
      points.push({ t: end, projected: cost.projectedMicros / 1_000_000 });
    }
  }
  return points;
}

/** Cost accrued so far and the projection to completion, as a line chart. */
export function CostAccrual({ workload, cost }: { workload: WorkloadSummary; cost: WorkloadCostResponse }) {
  const api = useApi(aiPlatformApiRef);
  const rows = useLiveData(
    () => api.showback({ window: accrualWindow, aggregate: 'workload', team: workload.team }),
    [api, workload.team],
  );
  if (rows.loading) return <Skeleton width="100%" height={160} />;
  if (!rows.value)
    return <Text variant="body-small">The cost history could not be loaded: {rows.error?.message}.</Text>;
  const points = accrualOf(workload, rows.value.rows, cost);
  const money = (v: number) => formatAmount(v, cost.currency, { compact: true });
  const time = (t: number) => new Date(t).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit' });
  return (
    <figure aria-label="Cost accrual" style={{ margin: 0 }}>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={points} margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--bui-border-1, #ccc)" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={time} />
          <YAxis tickFormatter={money} width={72} />
          <Tooltip labelFormatter={t => new Date(Number(t)).toLocaleString()} formatter={(v: number) => money(v)} />
          {actualAndForecastLines({ key: 'accrued', name: 'Accrued' }, { key: 'projected', name: 'Projected' })}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
