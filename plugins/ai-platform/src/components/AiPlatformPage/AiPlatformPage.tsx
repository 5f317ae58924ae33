import { Navigate, Route, Routes } from 'react-router-dom';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Container, Flex, HeaderPage, Tab, TabList, Tabs, Text } from '@backstage/ui';
import { rootRouteRef } from '../../routes';
import { CostExplorer } from '../CostExplorer';
import { InferenceLeaderboard } from '../InferenceLeaderboard';
import { FleetView } from './FleetView';
import { PendingView } from './PendingView';
import { QueuesView } from './QueuesView';

/** The page's views; each is a route under the page, so a runbook or a colleague can link to it. */
export const aiPlatformViews = [
  { path: 'fleet', title: 'Fleet', element: <FleetView /> },
  { path: 'queues', title: 'Queues', element: <QueuesView /> },
  { path: 'pending', title: 'Pending workloads', element: <PendingView /> },
  { path: 'costs', title: 'Costs', element: <CostExplorer /> },
  { path: 'inference', title: 'Inference efficiency', element: <InferenceLeaderboard /> },
] as const;

/** The AI Platform page: fleet capacity, queues, the pending-workload explorer, GPU costs and inference efficiency, kept live. */
export function AiPlatformPage() {
  const base = useRouteRef(rootRouteRef)();
  return (
    <Container>
      <HeaderPage title="AI Platform" />
      <Flex direction="column" gap="3">
        <Text variant="body-medium">
          GPU capacity, queues, waiting workloads and GPU cost across every cluster, updated live.
        </Text>
        <Tabs>
          <TabList aria-label="AI Platform views">
            {aiPlatformViews.map(v => (
              <Tab key={v.path} id={v.path} href={`${base}/${v.path}`} matchStrategy="prefix">
                {v.title}
              </Tab>
            ))}
          </TabList>
        </Tabs>
        <Routes>
          {aiPlatformViews.map(v => (
            <Route key={v.path} path={`${v.path}/*`} element={v.element} />
          ))}
          <Route path="*" element={<Navigate to="fleet" replace />} />
        </Routes>
      </Flex>
    </Container>
  );
}
