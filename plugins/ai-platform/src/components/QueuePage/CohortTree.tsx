import { useId } from 'react';
import { Flex, Text } from '@backstage/ui';
import type { ClusterQueueSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { quotaKey } from '../TeamCard/teamQuota';
import { cohortTotals, type CohortNode } from './cohortPlacement';
import { formatQuantity, resourceLabel, UsageBar } from './UsageBar';

/** GPU resources, whole (nvidia.com/gpu) or partitioned (nvidia.com/mig-1g.10gb, gpu.shared). */
export const isGpu = (resource: string) => /gpu|mig-/i.test(resource);

/** Resources with quota or use; a flavor listed with 0 nominal and nothing used says nothing. */
const meaningful = (r: { nominal: number; used: number }) => r.nominal > 0 || r.used > 0;

/** Fair sharing's weighted dominant resource share; the API sends null for an infinite share. */
export function formatFairShare(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '∞' : share.toFixed(0);
}

/** One ClusterQueue in the tree: its counts, fair share and per-flavor usage (all resources for the selected one, GPUs for the others). */
export function ClusterQueueUsage(props: {
  queue: ClusterQueueSummary;
  selected: boolean;
  /** What each flavor/resource lends to the cohort (`lentQuota`). */
  lent?: Map<string, number>;
}) {
  const { queue, selected, lent } = props;
  const resources = queue.resources.filter(r => meaningful(r) && (selected || isGpu(r.resource)));
  return (
    <Flex
      direction="column"
      gap="1"
      aria-label={`ClusterQueue ${queue.name}`}
      aria-current={selected ? 'true' : undefined}
      style={{
        borderLeft: `3px solid ${selected ? '#1565c0' : 'transparent'}`,
        paddingLeft: 8,
      }}
    >
      <Text variant="body-medium" weight="bold">
        ClusterQueue {queue.name}
        {selected ? ' (this queue)' : ''}
      </Text>
      <Text variant="body-small">
        {queue.pending} pending · {queue.admitted} admitted · fair share {formatFairShare(queue.fairShare)} ·{' '}
        {queue.queueingStrategy}
        {queue.stopPolicy !== 'None' ? ` · stopped (${queue.stopPolicy})` : ''}
      </Text>
      {resources.length === 0 ? (
        <Text variant="body-small">No {selected ? '' : 'GPU '}quota.</Text>
      ) : (
        resources.map(r => (
          <UsageBar
            key={`${r.flavor}/${r.resource}`}
            usage={r}
            queue={queue.name}
            lent={lent?.get(quotaKey(queue.cluster, queue.name, r.flavor, r.resource))}
          />
        ))
      )}
    </Flex>
  );
}

/** What the cohort pools in GPUs, as one line: "h100 gpu 22 of 24 in use". */
function CohortPool({ node }: { node: CohortNode }) {
  const totals = cohortTotals(node, isGpu).filter(meaningful);
  if (totals.length === 0) return null;
  return (
    <Text as="div" variant="body-small" color="secondary">
      Pooled:{' '}
      {totals
        .map(
          t =>
            `${t.flavor} ${resourceLabel(t.resource)} ${formatQuantity(t.resource, t.used)} of ${formatQuantity(
              t.resource,
              t.nominal,
            )} in use`,
        )
        .join(' · ')}
    </Text>
  );
}

function CohortBranch({ node, selected, lent }: { node: CohortNode; selected?: string; lent?: Map<string, number> }) {
  // Nested lists of sections named by their heading: an ARIA tree item would be named by all its text.
  const headingId = `cohort-${useId()}`;
  return (
    <li style={{ listStyle: 'none' }}>
      <section aria-labelledby={headingId}>
        <Text as="h3" id={headingId} variant="title-x-small">
          Cohort {node.name}
        </Text>
        <CohortPool node={node} />
        <ul
          style={{
            paddingLeft: 20,
            margin: '4px 0',
            display: 'flex',
            flexDirection: 'column',
            gap: 12,
          }}
        >
          {node.clusterQueues.map(q => (
            <li key={q.name} style={{ listStyle: 'none' }}>
              <ClusterQueueUsage queue={q} selected={q.name === selected} lent={lent} />
            </li>
          ))}
          {node.children.map(child => (
            <CohortBranch key={child.name} node={child} selected={selected} lent={lent} />
          ))}
        </ul>
      </section>
    </li>
  );
}

/** The cohort tree (cohort → child cohorts and ClusterQueues) with usage bars; `selected` is highlighted. */
export function CohortTree(props: { root: CohortNode; selected?: string; lent?: Map<string, number>; label?: string }) {
  return (
    <ul aria-label={props.label ?? 'Cohort tree'} style={{ padding: 0, margin: 0 }}>
      <CohortBranch node={props.root} selected={props.selected} lent={props.lent} />
    </ul>
  );
}
