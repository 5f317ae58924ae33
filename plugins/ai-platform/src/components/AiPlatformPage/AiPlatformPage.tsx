import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Container, Header } from '@backstage/ui';
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
  const { pathname } = useLocation();
  const active = aiPlatformViews.find(v => pathname.startsWith(`${base}/${v.path}`))?.path ?? null;
  return (
    <>
      <Header
        title="AI Platform"
        description="GPU capacity, queues, waiting workloads and GPU cost across every cluster, updated live."
        tabs={aiPlatformViews.map(v => ({ id: v.path, label: v.title, href: `${base}/${v.path}` }))}
        activeTabId={active}
      />
      <Container>
        <Routes>
          {aiPlatformViews.map(v => (
            <Route key={v.path} path={`${v.path}/*`} element={v.element} />
          ))}
          <Route path="*" element={<Navigate to="fleet" replace />} />
        </Routes>
      </Container>
    </>
  );
}
