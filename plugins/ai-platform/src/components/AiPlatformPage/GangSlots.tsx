import { CellText, Column, Row, TableBody, TableHeader, TableRoot, Text } from '@backstage/ui';
import type { GangSlotSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

/** "ml-research 2, agents 1": the ClusterQueues a gang size fits within quota, and how many. */
function withinQuota(counts: Record<string, number>): string {
  const fitting = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return fitting.length
    ? `within quota: ${fitting.map(([q, n]) => `${q} ${n}`).join(', ')}`
    : 'within no queue’s quota';
}

/** How many gangs of each size fit now in each topology domain, physically and within each ClusterQueue's quota. */
export function GangSlots({ slots }: { slots: GangSlotSummary[] }) {
  const sizes = [...new Set(slots.flatMap(s => s.gangs.map(g => g.size)))].sort((a, b) => a - b);
  if (slots.length === 0) return <Text>No topology domain has free GPUs now.</Text>;
  return (
    <TableRoot aria-label="Free gang slots">
      <TableHeader>
        <Column id="domain" isRowHeader width={220}>
          Topology domain
        </Column>
        <Column id="free" width={100}>
          Free GPUs
        </Column>
        {sizes.map(size => (
          <Column key={size} id={`gang-${size}`}>
            Gangs of {size}
          </Column>
        ))}
      </TableHeader>
      <TableBody>
        {slots.map(s => {
          const id = `${s.cluster}/${s.flavor}/${s.resource}/${s.level}/${s.domain}`;
          return (
            <Row key={id} id={id}>
              <CellText title={s.domain} description={`${s.level.replace(/^.*\//, '')} · ${s.flavor} · ${s.cluster}`} />
              <CellText title={String(s.freeGpus)} description={`${s.nodes} nodes`} />
              {sizes.map(size => {
                const gang = s.gangs.find(g => g.size === size);
                return (
                  <CellText
                    key={size}
                    title={gang ? String(gang.physical) : '—'}
                    description={gang ? withinQuota(gang.withinQuota) : undefined}
                  />
                );
              })}
            </Row>
          );
        })}
      </TableBody>
    </TableRoot>
  );
}
