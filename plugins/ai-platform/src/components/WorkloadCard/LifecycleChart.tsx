import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { seriesColors } from '../CostExplorer/CostCharts';

/** A stretch of a workload's life. */
export type LifePhase = 'Queued' | 'Admitted' | 'Running' | 'Preempted' | 'Requeued';

export interface PhaseSpan {
  phase: LifePhase;
  start: number;
  end: number;
}

const colors: Record<LifePhase, string> = {
  Queued: seriesColors[9],
  Admitted: seriesColors[3],
  Running: seriesColors[4],
  Preempted: seriesColors[2],
  Requeued: seriesColors[1],
};

/**
 * The workload's life as consecutive phases from its conditions: queued
 * from creation, admitted, running once its pods are ready, preempted or
 * evicted, requeued when admission is withdrawn, until it finished (or now).
 */
export function phasesOf(workload: WorkloadSummary, now = Date.now()): PhaseSpan[] {
  const changes: Array<{ time: number; phase: LifePhase | 'Finished' }> = [
    { time: Date.parse(workload.createdAt), phase: 'Queued' },
  ];
  const conditions = [...workload.conditions].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  for (const c of conditions) {
    const time = Date.parse(c.time);
    const last = changes[changes.length - 1].phase;
    if (c.type === 'Finished' && c.status) changes.push({ time, phase: 'Finished' });
    else if ((c.type === 'Preempted' || c.type === 'Evicted') && c.status) changes.push({ time, phase: 'Preempted' });
    else if (c.type === 'Admitted') changes.push({ time, phase: c.status ? 'Admitted' : 'Requeued' });
    else if (c.type === 'PodsReady' && c.status) changes.push({ time, phase: 'Running' });
    else if (c.type === 'Queued' && c.status && last === 'Preempted') changes.push({ time, phase: 'Requeued' });
  }
  const has = (phase: string) => changes.some(c => c.phase === phase);
  if (workload.admittedAt && !has('Admitted'))
    changes.push({ time: Date.parse(workload.admittedAt), phase: 'Admitted' });
  if (workload.finishedAt && !has('Finished'))
    changes.push({ time: Date.parse(workload.finishedAt), phase: 'Finished' });
  changes.sort((a, b) => a.time - b.time);
  const spans: PhaseSpan[] = [];
  for (const [i, c] of changes.entries()) {
    if (c.phase === 'Finished') break;
    const end = changes[i + 1]?.time ?? now;
    const previous = spans[spans.length - 1];
    if (previous?.phase === c.phase) previous.end = end;
    else if (end > c.time) spans.push({ phase: c.phase, start: c.time, end });
  }
  return spans;
}

/** "1 h 5 min", "12 min", "40 s". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** The workload's life as one bar of phases over time, with the phases and their durations in words. */
export function LifecycleChart({ workload }: { workload: WorkloadSummary }) {
  const spans = phasesOf(workload);
  if (spans.length === 0) return null;
  const origin = spans[0].start;
  const summary = spans.map(s => `${s.phase} ${formatDuration(s.end - s.start)}`).join(', ');
  const row = Object.fromEntries(spans.map((s, i) => [`s${i}`, (s.end - s.start) / 60_000]));
  const clock = (minutes: number) =>
    new Date(origin + minutes * 60_000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <figure aria-label={`Life of the workload: ${summary}`} style={{ margin: '0 0 8px' }}>
      <ResponsiveContainer width="100%" height={70}>
        <BarChart data={[{ name: 'life', ...row }]} layout="vertical" margin={{ left: 8, right: 16 }}>
          <XAxis type="number" tickFormatter={clock} domain={[0, 'dataMax']} fontSize={12} />
          <YAxis type="category" dataKey="name" hide />
          <Tooltip
            formatter={(v: number, key: string) => {
              const span = spans[Number(key.slice(1))];
              return [formatDuration(v * 60_000), span.phase];
            }}
            labelFormatter={() => ''}
          />
          {spans.map((s, i) => (
            <Bar key={i} dataKey={`s${i}`} stackId="life" fill={colors[s.phase]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption style={{ fontSize: '0.85em' }}>{summary}</figcaption>
    </figure>
  );
}
