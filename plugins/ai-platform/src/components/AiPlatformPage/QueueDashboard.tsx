import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import type { ClusterQueueSummary, QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

const isGpu = (resource: string) => resource.startsWith('nvidia.com/') || resource.includes('gpu');

/** Usage of one ClusterQueue per flavor: used within nominal, borrowed, and what is still free. */
function QueueChart({ queue }: { queue: ClusterQueueSummary }) {
  const rows = queue.resources
    .filter(r => isGpu(r.resource))
    .map(r => ({
      name: `${r.flavor} ${r.resource.replace('nvidia.com/', '')}`,
      used: Math.min(r.used, r.nominal),
      borrowed: r.borrowed,
      free: Math.max(0, r.nominal - r.used),
    }));
  if (rows.length === 0) return <Text variant="body-small">No GPU quota.</Text>;
  return (
    <ResponsiveContainer width="100%" height={40 + rows.length * 36}>
      <BarChart data={rows} layout="vertical" margin={{ left: 24 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="name" width={150} />
        <Tooltip />
        <Legend />
        <Bar dataKey="used" stackId="q" fill="#1565c0" name="In use (nominal)" />
        <Bar dataKey="borrowed" stackId="q" fill="#ef6c00" name="Borrowed" />
        <Bar dataKey="free" stackId="q" fill="#90a4ae" name="Free" />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The cohort tree: every cohort with its ClusterQueues, their usage, pending counts and fair share. */
export function QueueDashboard({ queues }: { queues: QueueListResponse }) {
  const groups = new Map<string, ClusterQueueSummary[]>();
  for (const q of queues.clusterQueues) {
    const key = `${q.cluster} / ${q.cohort ? `cohort ${q.cohort}` : 'no cohort'}`;
    groups.set(key, [...(groups.get(key) ?? []), q]);
  }
  return (
    <Flex direction="column" gap="4">
      {[...groups].map(([group, members]) => (
        <section key={group} aria-label={group}>
          <Text as="h3" variant="title-small">
            {group}
          </Text>
          <Flex gap="3" style={{ flexWrap: 'wrap' }}>
            {members.map(q => (
              <Card key={`${q.cluster}/${q.name}`} style={{ minWidth: 380, flex: 1 }}>
                <CardHeader>
                  <Text variant="title-x-small">{q.name}</Text>
                  <Text variant="body-small">
                    {q.pending} pending · {q.admitted} admitted · fair share{' '}
                    {Number.isFinite(q.fairShare) ? q.fairShare.toFixed(0) : '∞'} · {q.queueingStrategy}
                    {q.stopPolicy !== 'None' ? ` · stopped (${q.stopPolicy})` : ''}
                  </Text>
                </CardHeader>
                <CardBody>
                  <QueueChart queue={q} />
                </CardBody>
              </Card>
            ))}
          </Flex>
        </section>
      ))}
    </Flex>
  );
}
