import { Text } from '@backstage/ui';
import type { WorkloadCondition, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { relativeTime } from '../common/format';

const labels: Record<WorkloadCondition['type'], string> = {
  Queued: 'Queued',
  Admitted: 'Admitted',
  PodsReady: 'Pods ready',
  Preempted: 'Preempted',
  Evicted: 'Evicted',
  Finished: 'Finished',
};

const negative: Partial<Record<WorkloadCondition['type'], string>> = {
  Admitted: 'Admission withdrawn',
  PodsReady: 'Pods not ready',
};

const warn = new Set<WorkloadCondition['type']>(['Preempted', 'Evicted']);

export interface TimelineEntry {
  key: string;
  label: string;
  time: string;
  detail?: string;
  tone: 'normal' | 'warning' | 'muted';
}

/**
 * The workload's history in time order: its creation, then each condition
 * change (queued, admitted, pods ready, preempted, evicted, finished). The
 * summary's admittedAt/finishedAt fill in when the backend kept no condition
 * for them.
 */
export function timelineOf(workload: WorkloadSummary): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    {
      key: 'created',
      label: 'Created',
      time: workload.createdAt,
      tone: 'muted',
    },
  ];
  for (const [i, c] of workload.conditions.entries()) {
    const detail = [c.reason, c.message].filter(Boolean).join(': ') || undefined;
    let tone: TimelineEntry['tone'] = c.status ? 'normal' : 'muted';
    if (c.status && warn.has(c.type)) tone = 'warning';
    entries.push({
      key: `${c.type}-${i}`,
      label: c.status ? labels[c.type] : negative[c.type] ?? `${labels[c.type]} (cleared)`,
      time: c.time,
      detail,
      tone,
    });
  }
  const has = (type: WorkloadCondition['type']) => workload.conditions.some(c => c.type === type && c.status);
  if (workload.admittedAt && !has('Admitted'))
    entries.push({
      key: 'admittedAt',
      label: 'Admitted',
      time: workload.admittedAt,
      tone: 'normal',
    });
  if (workload.finishedAt && !has('Finished')) {
    entries.push({
      key: 'finishedAt',
      label: `Finished (${workload.state})`,
      time: workload.finishedAt,
      tone: 'normal',
    });
  }
  return entries.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

const dot = { normal: '#1565c0', warning: '#c62828', muted: '#90a4ae' };

/** The workload's conditions as a vertical timeline, oldest first. */
export function ConditionTimeline({ workload }: { workload: WorkloadSummary }) {
  const entries = timelineOf(workload);
  return (
    <ol
      aria-label="Condition timeline"
      style={{
        listStyle: 'none',
        margin: 0,
        padding: 0,
        borderLeft: '2px solid #cfd8dc',
      }}
    >
      {entries.map(e => (
        <li key={e.key} style={{ position: 'relative', padding: '0 0 8px 14px' }}>
          <span
            aria-hidden
            style={{
              position: 'absolute',
              left: -6,
              top: 4,
              width: 10,
              height: 10,
              borderRadius: 5,
              background: dot[e.tone],
            }}
          />
          <Text as="div" variant="body-small" weight="bold">
            {e.label}{' '}
            <Text as="span" variant="body-small" color="secondary" weight="regular">
              <time dateTime={e.time} title={new Date(e.time).toLocaleString()}>
                {relativeTime(e.time)}
              </time>
            </Text>
          </Text>
          {e.detail && (
            <Text as="div" variant="body-small" color="secondary">
              {e.detail}
            </Text>
          )}
        </li>
      ))}
    </ol>
  );
}
