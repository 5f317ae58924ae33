import { Cell, CellText, Column, Row, TableBody, TableHeader, TableRoot, Text } from '@backstage/ui';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { ReasonText } from '../common/ReasonText';
import { relativeTime } from '../common/format';

/** Pending workloads in admission order: position 1 is next; workloads without a position go last. */
/** Under the ETA: the p90 when the model has one, else the expected time itself. */
function etaDescription(w: { eta?: string; etaP90?: string }): string | undefined {
  if (w.etaP90) return `almost surely ${relativeTime(w.etaP90)}`;
  return w.eta ? new Date(w.eta).toLocaleString() : undefined;
}

export function inAdmissionOrder(workloads: WorkloadSummary[]): WorkloadSummary[] {
  return [...workloads].sort(
    (a, b) =>
      (a.positionInClusterQueue ?? Infinity) - (b.positionInClusterQueue ?? Infinity) ||
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
}

/** How many rows the list shows; the rest are counted. */
const shown = 200;

/**
 * The ordered pending list of one ClusterQueue: position, workload, its
 * LocalQueue, GPUs, priority, why it waits (with the runbook) and when it is
 * expected to start. With `localQueue`, that LocalQueue's workloads also show
 * their position within it.
 */
export function PendingList(props: {
  workloads: WorkloadSummary[];
  /** How many wait in the ClusterQueue in all, as its summary counts them (including workloads hidden from this user). */
  total: number;
  localQueue?: { namespace: string; name: string };
}) {
  const { workloads, total, localQueue } = props;
  const hidden = Math.max(0, total - workloads.length);
  const hiddenNote = hidden > 0 && (
    <Text variant="body-small">
      {hidden} more {hidden === 1 ? 'workload waits' : 'workloads wait'} in this ClusterQueue that you may not see: the
      platform shows you the workloads of your teams only.
    </Text>
  );
  const mine = (w: WorkloadSummary) =>
    !!localQueue && w.namespace === localQueue.namespace && w.queue === localQueue.name;
  if (workloads.length === 0)
    return hiddenNote || <Text variant="body-small">Nothing is waiting in this ClusterQueue.</Text>;
  return (
    <>
      <TableRoot aria-label="Pending workloads in admission order">
        <TableHeader>
          <Column id="position" width={90}>
            Position
          </Column>
          <Column id="workload" isRowHeader>
            Workload
          </Column>
          <Column id="queue">LocalQueue</Column>
          <Column id="gpus" width={70}>
            GPUs
          </Column>
          <Column id="priority" width={80}>
            Priority
          </Column>
          <Column id="reason">Why it waits</Column>
          <Column id="eta" width={140}>
            Expected start
          </Column>
        </TableHeader>
        <TableBody>
          {workloads.slice(0, shown).map(w => (
            <Row key={`${w.namespace}/${w.kind}/${w.name}`} id={`${w.namespace}/${w.kind}/${w.name}`}>
              <CellText
                title={w.positionInClusterQueue ? `#${w.positionInClusterQueue}` : '—'}
                description={
                  mine(w) && w.positionInLocalQueue ? `#${w.positionInLocalQueue} in ${localQueue!.name}` : undefined
                }
              />
              <CellText title={`${w.namespace}/${w.name}`} description={w.team ? `team ${w.team}` : undefined} />
              <CellText title={`${w.namespace}/${w.queue ?? '—'}`} description={mine(w) ? 'this queue' : undefined} />
              <CellText title={String(w.gpus)} />
              <CellText title={String(w.priority)} />
              <Cell>
                <Text variant="body-small">
                  <ReasonText reason={w.reason} />
                </Text>
              </Cell>
              <CellText title={w.eta ? relativeTime(w.eta) : 'unknown'} description={etaDescription(w)} />
            </Row>
          ))}
        </TableBody>
      </TableRoot>
      {hiddenNote}
      {workloads.length > shown && (
        <Text variant="body-small">
          Showing the first {shown} of {workloads.length} pending workloads; the AI Platform page lists them all.
        </Text>
      )}
    </>
  );
}
