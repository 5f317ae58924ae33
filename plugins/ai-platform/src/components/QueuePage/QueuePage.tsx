import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Alert, Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { ClusterQueueUsage, CohortTree } from './CohortTree';
import { placeClusterQueue } from './cohortPlacement';
import { inAdmissionOrder, PendingList } from './PendingList';
import { queueEntityTarget, type QueueEntityTarget } from './queueEntity';

function QueueView({ target }: { target: QueueEntityTarget }) {
  const api = useApi(aiPlatformApiRef);
  const { cluster, clusterQueue, localQueue } = target;
  const data = useLiveData(async () => {
    const [queues, pending] = await Promise.all([
      api.listQueues(),
      api.listWorkloads({ cluster, clusterQueue, state: 'Pending' }),
    ]);
    return {
      placement: placeClusterQueue(queues, cluster, clusterQueue),
      pending: inAdmissionOrder(pending.items.filter(w => w.cluster === cluster && w.clusterQueue === clusterQueue)),
    };
  }, [api, cluster, clusterQueue]);

  return (
    <Loadable data={data} empty={null}>
      {({ placement, pending }) =>
        !placement ? (
          <Alert
            status="warning"
            title={`The AI platform backend does not know ClusterQueue ${clusterQueue} on cluster ${cluster}: it was deleted or the cluster is not connected. Check the cluster on the AI Platform page.`}
          />
        ) : (
          <Flex direction="column" gap="4">
            <Card>
              <CardHeader>
                <Flex direction="column" gap="1">
                  <Text variant="title-small">
                    {localQueue ? `LocalQueue ${localQueue.namespace}/${localQueue.name} → ` : ''}
                    ClusterQueue {clusterQueue} on {cluster}
                  </Text>
                  <Text variant="body-small">
                    {placement.kind === 'cohort'
                      ? `Shares quota in cohort tree ${placement.root.name}.`
                      : 'In no cohort: it neither borrows nor lends quota.'}
                    {data.refreshing ? ' Refreshing…' : ''}
                  </Text>
                </Flex>
              </CardHeader>
              <CardBody>
                {placement.kind === 'cohort' ? (
                  <CohortTree root={placement.root} selected={clusterQueue} />
                ) : (
                  <ClusterQueueUsage queue={placement.clusterQueue} selected />
                )}
              </CardBody>
            </Card>
            <Card>
              <CardHeader>
                <Text variant="title-small">Pending ({pending.length})</Text>
              </CardHeader>
              <CardBody>
                <PendingList workloads={pending} total={placement.clusterQueue.pending} localQueue={localQueue} />
              </CardBody>
            </Card>
          </Flex>
        )
      }
    </Loadable>
  );
}

/**
 * Entity content for gpu-queue Resources (ClusterQueues and LocalQueues):
 * the cohort tree with usage per flavor and fair shares, and the
 * ClusterQueue's pending workloads in admission order with reasons and ETAs.
 * Stays current through signals and polling.
 */
export function QueuePage() {
  const { entity } = useEntity();
  const target = queueEntityTarget(entity);
  if ('error' in target) return <Alert status="warning" title={target.error} />;
  return <QueueView target={target} />;
}
