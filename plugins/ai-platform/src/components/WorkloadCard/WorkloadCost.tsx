import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '@backstage/core-plugin-api';
import { Flex, Skeleton, Text } from '@backstage/ui';
import type {
  WorkloadCostResponse,
  WorkloadRef,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { formatGpuHours, formatMicros, formatShare } from '../common/format';
import { CostAccrual } from './CostAccrual';
import { Field, Section } from './Field';

/** Why the cost route gave no figures, as a sentence for the user (the server's own words when it sent some). */
export function costUnavailableReason(error: Error): string {
  const { statusCode, cause } = error as {
    statusCode?: number;
    cause?: { message?: string };
  };
  if (statusCode === 404) {
    return 'the AI platform has no cost record for this workload (no GPU time allocated yet, or cost accounting is not enabled on this backend)';
  }
  if (statusCode === 403)
    return `you may not see this workload's costs (${cause?.message ?? 'permission ai-platform.cost.read'})`;
  return cause?.message ?? error.message;
}

/** Loads a workload's cost and GPU use; kept current like the workload itself. */
export function useWorkloadCost(ref: WorkloadRef) {
  const api = useApi(aiPlatformApiRef);
  return useLiveData(() => api.workloadCost(ref), [api, ref.cluster, ref.namespace, ref.kind, ref.name]);
}

/** Cost to date, rate and projected cost at completion. */
export function CostFigures({ cost }: { cost: WorkloadCostResponse }) {
  const money = (micros: number) => formatMicros(micros, cost.currency);
  return (
    <>
      <Field label="Cost to date">
        {money(cost.costToDateMicros)} ({formatGpuHours(cost.gpuHoursToDate)} GPU-hours)
        {cost.ratePerHourMicros > 0 ? `, now ${money(cost.ratePerHourMicros)} per hour` : ''}
      </Field>
      <Field label="Projected cost">
        {cost.projectedMicros === null
          ? 'unknown (no expected run time)'
          : `${money(cost.projectedMicros)} at completion`}
      </Field>
    </>
  );
}

/** Mean GPU utilization of the workload's pods over time, with its figures in words; `compact` is a sparkline for the summary. */
export function UtilizationChart(props: {
  points: NonNullable<WorkloadCostResponse['utilization']>;
  compact?: boolean;
}) {
  const { points, compact } = props;
  if (points.length === 0)
    return <Field label="GPU utilization">no samples yet (DCGM reports once its pods run).</Field>;
  const data = points.map(p => ({
    t: Date.parse(p.time),
    value: Math.round(p.value * 1000) / 10,
  }));
  const mean = points.reduce((sum, p) => sum + p.value, 0) / points.length;
  const summary = `mean ${formatShare(mean)}, latest ${formatShare(points[points.length - 1].value)} over ${
    points.length
  } samples`;
  const time = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const line = <Line type="monotone" dataKey="value" stroke="#1565c0" dot={false} isAnimationActive={false} />;
  if (compact) {
    return (
      <Field label="GPU utilization">
        <span>{summary}</span>
        <div role="img" aria-label={`GPU utilization sparkline: ${summary}`} style={{ width: 160, height: 28 }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
              <YAxis domain={[0, 100]} hide />
              {line}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Field>
    );
  }
  return (
    <Flex direction="column" gap="1">
      <Text variant="body-small">GPU utilization: {summary}</Text>
      <div role="img" aria-label={`GPU utilization over time: ${summary}`} style={{ width: '100%', height: 120 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={time} />
            <YAxis domain={[0, 100]} unit="%" width={44} />
            <Tooltip
              labelFormatter={t => new Date(Number(t)).toLocaleString()}
              formatter={v => [`${v}%`, 'GPU utilization']}
            />
            {line}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Flex>
  );
}

function InferenceFigures({ cost }: { cost: WorkloadCostResponse }) {
  const {
    tokensPerSecond = null,
    timeToFirstTokenP95Seconds = null,
    costPerMillionTokensMicros = null,
  } = cost.inference ?? {};
  const unknown = 'not available';
  return (
    <>
      <Field label="Tokens per second">{tokensPerSecond === null ? unknown : tokensPerSecond.toFixed(1)}</Field>
      <Field label="TTFT p95">
        {timeToFirstTokenP95Seconds === null ? unknown : `${Math.round(timeToFirstTokenP95Seconds * 1000)} ms`}
      </Field>
      <Field label="Cost per 1M tokens">
        {costPerMillionTokensMicros === null ? unknown : formatMicros(costPerMillionTokensMicros, cost.currency)}
      </Field>
    </>
  );
}

/**
 * The workload's cost and GPU use. When the cost route is missing (404),
 * forbidden or failing, or Prometheus has no utilization, it says so instead
 * of showing numbers.
 */
export function WorkloadCost({ workload, full }: { workload: WorkloadSummary; full: boolean }) {
  const data = useWorkloadCost(workload);
  if (data.loading) return <Skeleton width="60%" height={20} aria-label="Loading cost" />;
  if (!data.value) {
    return (
      <Field label="Cost">
        Cost not available: {data.error ? costUnavailableReason(data.error) : 'no answer from the backend'}.
      </Field>
    );
  }
  const cost = data.value;
  return (
    <>
      <CostFigures cost={cost} />
      {cost.utilization === null ? (
        <Field label="GPU utilization">
          not available: the platform has no DCGM metrics from Prometheus for this workload.
        </Field>
      ) : (
        <UtilizationChart points={cost.utilization} compact={!full} />
      )}
      {full && workload.entityType === 'inference-service' && <InferenceFigures cost={cost} />}
      {full && (
        <Section title="Cost accrual">
          <CostAccrual workload={workload} cost={cost} />
        </Section>
      )}
    </>
  );
}
