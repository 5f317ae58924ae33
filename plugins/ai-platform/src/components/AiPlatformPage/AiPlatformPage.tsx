import { useApi } from '@backstage/core-plugin-api';
import { Container, Flex, HeaderPage, Tab, TabList, TabPanel, Tabs, Text } from '@backstage/ui';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { CostExplorer } from '../CostExplorer';
import { InferenceLeaderboard } from '../InferenceLeaderboard';
import { FleetHeatmap } from './FleetHeatmap';
import { PendingExplorer } from './PendingExplorer';
import { QueueDashboard } from './QueueDashboard';

/** The AI Platform page: fleet capacity, queues, the pending-workload explorer, GPU costs and inference efficiency, kept live. */
export function AiPlatformPage() {
  const api = useApi(aiPlatformApiRef);
  const clusters = useLiveData(() => api.listClusters(), [api]);
  const queues = useLiveData(() => api.listQueues(), [api]);
  const pending = useLiveData(() => api.listWorkloads({ state: 'Pending' }).then(r => r.items), [api]);
  return (
    <Container>
      <HeaderPage title="AI Platform" />
      <Text variant="body-medium">
        GPU capacity, queues, waiting workloads and GPU cost across every cluster, updated live.
      </Text>
      <Tabs>
        <TabList>
          <Tab id="fleet">Fleet</Tab>
          <Tab id="queues">Queues</Tab>
          <Tab id="pending">Pending workloads</Tab>
          <Tab id="costs">Costs</Tab>
          <Tab id="inference">Inference efficiency</Tab>
        </TabList>
        <TabPanel id="fleet">
          <Flex direction="column" gap="3">
            <Loadable
              data={clusters}
              isEmpty={v => v.length === 0}
              empty={<Text>No clusters are configured. Add one under kubernetes.clusterLocatorMethods.</Text>}
            >
              {v => <FleetHeatmap clusters={v} />}
            </Loadable>
          </Flex>
        </TabPanel>
        <TabPanel id="queues">
          <Loadable
            data={queues}
            isEmpty={v => v.clusterQueues.length === 0}
            empty={
              <Text>
                No ClusterQueues yet. Apply Kueue ResourceFlavors and ClusterQueues, or set aiPlatform.queues.
              </Text>
            }
          >
            {v => <QueueDashboard queues={v} />}
          </Loadable>
        </TabPanel>
        <TabPanel id="pending">
          <Loadable
            data={pending}
            isEmpty={v => v.length === 0}
            empty={<Text>Nothing is waiting: every queued workload has been admitted.</Text>}
          >
            {v => <PendingExplorer workloads={v} />}
          </Loadable>
        </TabPanel>
        <TabPanel id="costs">
          <CostExplorer />
        </TabPanel>
        <TabPanel id="inference">
          <InferenceLeaderboard />
        </TabPanel>
      </Tabs>
    </Container>
  );
}
