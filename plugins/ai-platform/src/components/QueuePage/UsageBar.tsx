import { Flex, Text } from '@backstage/ui';
import type { QueueResourceUsage } from '@ai-platform/backstage-plugin-ai-platform-common';

/** A quantity in the unit people read it in: memory in GiB, GPUs and cores as counts. */
export function formatQuantity(resource: string, value: number): string {
  if (resource === 'memory' || resource.endsWith('storage')) return `${Math.round(value / 2 ** 30)} GiB`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Short resource name: "gpu" for "nvidia.com/gpu". */
export const resourceLabel = (resource: string) => resource.replace(/^.*\//, '');

const colors = {
  used: '#1565c0',
  borrowed: '#ef6c00',
  free: '#cfd8dc',
  guaranteed: '#263238',
};

/**
 * One flavor/resource of a ClusterQueue: used within nominal quota, borrowed
 * beyond it, free quota, and where the lending limit starts (the part of the
 * nominal quota it never lends). The numbers are written out too.
 */
export function UsageBar({ usage, queue, lent }: { usage: QueueResourceUsage; queue: string; lent?: number }) {
  const { nominal, used, borrowed, lendingLimit, borrowingLimit, resource, flavor } = usage;
  const inNominal = Math.min(used, nominal);
  const scale = Math.max(nominal + borrowed, used, 1);
  const pct = (v: number) => `${(100 * Math.max(0, v)) / scale}%`;
  const q = (v: number) => formatQuantity(resource, v);
  const summary = [
    `${q(used)} used of ${q(nominal)} nominal`,
    `${q(borrowed)} borrowed`,
    lent ? `${q(lent)} lent` : undefined,
    lendingLimit !== undefined ? `lending limit ${q(lendingLimit)}` : undefined,
    borrowingLimit !== undefined ? `borrowing limit ${q(borrowingLimit)}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const label = `${flavor} ${resourceLabel(resource)}`;
  return (
    <Flex direction="column" gap="1">
      <Flex justify="between" gap="2">
        <Text variant="body-small" weight="bold">
          {label}
        </Text>
        <Text variant="body-small">{summary}</Text>
      </Flex>
      <div
        role="meter"
        aria-label={`${queue} ${label} usage`}
        aria-valuemin={0}
        aria-valuemax={nominal}
        aria-valuenow={used}
        aria-valuetext={summary}
        style={{
          position: 'relative',
          display: 'flex',
          height: 10,
          borderRadius: 3,
          overflow: 'hidden',
          background: colors.free,
        }}
      >
        <div
          style={{ width: pct(inNominal), background: colors.used }}
          title={`In use within nominal: ${q(inNominal)}`}
        />
        <div style={{ width: pct(borrowed), background: colors.borrowed }} title={`Borrowed: ${q(borrowed)}`} />
        {lendingLimit !== undefined && lendingLimit < nominal && (
          <div
            title={`Never lent: ${q(nominal - lendingLimit)} (lending limit ${q(lendingLimit)})`}
            style={{
              position: 'absolute',
              left: pct(nominal - lendingLimit),
              top: 0,
              bottom: 0,
              width: 2,
              background: colors.guaranteed,
            }}
          />
        )}
      </div>
    </Flex>
  );
}
