import { Flex } from '@backstage/ui';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { ReasonText } from '../common/ReasonText';
import { StateTag } from '../common/StateTag';
import { relativeTime } from '../common/format';
import { Assignment } from './Assignment';
import { ConditionTimeline } from './ConditionTimeline';
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
 * One workload: state, why it waits with position and ETA, queue, assignment
 * and cost, and actions for those allowed. `full` (the entity tab) adds the
 * condition timeline, GPU utilization, inference figures and recent events.
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
          <Field label="Position">
            <Position workload={workload} />
          </Field>
          <Field label="Expected start">
            {workload.eta ? `${relativeTime(workload.eta)} (${new Date(workload.eta).toLocaleString()})` : 'unknown'}
          </Field>
        </>
      )}
      <Field label="Queue">
        {workload.cluster} / {workload.queue ?? '—'} → {workload.clusterQueue ?? '—'} (priority {workload.priority})
      </Field>
      <Field label="GPUs">{workload.gpus}</Field>
      <Field label="Assignment">
        <Assignment workload={workload} />
      </Field>
      <WorkloadCost workload={workload} full={full} />
      <WorkloadActions workload={workload} />
      {full && (
        <>
          <Section title="Timeline">
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
