import { Flex } from '@backstage/ui';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { ReasonText } from '../common/ReasonText';
import { StateTag } from '../common/StateTag';
import { formatEta } from '../common/format';
import { Assignment } from './Assignment';
import { ConditionTimeline } from './ConditionTimeline';
import { formatDuration, LifecycleChart } from './LifecycleChart';
import { Field, Section } from './Field';
import { WorkloadActions } from './WorkloadActions';
import { WorkloadCost } from './WorkloadCost';
import { WorkloadEvents } from './WorkloadEvents';

function Position({ workload: w }: { workload: WorkloadSummary }) {
  if (!w.positionInClusterQueue) return <>—</>;
  const local = w.positionInLocalQueue ? `, ${w.positionInLocalQueue} in ${w.queue}` : '';
  return <>{`${w.positionInClusterQueue} in ${w.clusterQueue}${local}`}</>;
}

/**
 * One workload, summary first: state, why it waits with its runbook, when
 * it is expected to start, cost to date and projected, GPU utilization,
 * queue and cluster, then where it runs and the actions allowed. `full` (the
 * entity tab) adds its life as a chart and a list, cost accrual, the GPU
 * utilization chart, inference figures and recent events.
 */
export function WorkloadDetails({ workload, full }: { workload: WorkloadSummary; full: boolean }) {
  const waiting = workload.state === 'Pending';
  return (
    <Flex direction="column" gap="2" aria-label={`Workload ${workload.namespace}/${workload.name}`}>
      <Field label="State">
        <StateTag state={workload.state} />
        {workload.observedOnly ? ' (observed: Kueue admits in this cluster)' : ''}
      </Field>
      {(waiting || workload.state === 'Preempted') && (
        <Field label={waiting ? 'Why it waits' : 'Why it was evicted'}>
          <ReasonText reason={workload.reason} />
        </Field>
      )}
      {waiting && (
        <>
          <Field label="Expected start">
            <span title={workload.eta ? new Date(workload.eta).toLocaleString() : undefined}>
              {formatEta(workload.eta, workload.etaP90)}
            </span>
          </Field>
          {workload.expectedRunTime && (
            <Field label="Expected run time">
              <span title={workload.expectedRunTime.basis}>
                {formatDuration(workload.expectedRunTime.p50Seconds * 1000)}, at most{' '}
                {formatDuration(workload.expectedRunTime.p90Seconds * 1000)} in 9 of 10 runs
              </span>
            </Field>
          )}
          <Field label="Position">
            <Position workload={workload} />
          </Field>
        </>
      )}
      <WorkloadCost workload={workload} full={full} />
      <Field label="Queue and cluster">
        {workload.queue ?? '—'} → ClusterQueue {workload.clusterQueue ?? '—'} on {workload.cluster} (priority{' '}
        {workload.priority})
      </Field>
      <Field label="GPUs">{workload.gpus}</Field>
      <Field label="Assignment">
        <Assignment workload={workload} />
      </Field>
      <WorkloadActions workload={workload} />
      {full && (
        <>
          <Section title="Life of the workload">
            <LifecycleChart workload={workload} />
            <ConditionTimeline workload={workload} />
          </Section>
          <Section title="Recent events">
            <WorkloadEvents workload={workload} />
          </Section>
        </>
      )}
    </Flex>
  );
}
