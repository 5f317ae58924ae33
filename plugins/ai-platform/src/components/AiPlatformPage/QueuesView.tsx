import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Link } from '@backstage/core-components';
import { Cell, CellText, Column, Flex, Row, TableBody, TableHeader, TableRoot, Text } from '@backstage/ui';
import type {
  ClusterQueueSummary,
  QueueListResponse,
  ShowbackResponse,
  WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { rootRouteRef } from '../../routes';
import { ClusterView } from '../common/ClusterView';
import { SectionCard } from '../common/SectionCard';
import { errorMessage } from '../common/Loadable';
import { useRunbookUrl } from '../common/useRunbookUrl';
import { DailyStackedChart } from '../CostExplorer/CostCharts';
import { dailySeries, groupTotals, seriesKeys, settle, type Settled } from '../CostExplorer/costData';
import { ClusterQueueUsage, CohortTree, formatFairShare } from '../QueuePage/CohortTree';
import { cohortForest } from '../QueuePage/cohortPlacement';
import { lentQuota } from '../TeamCard/teamQuota';
import { clusterQueueKey, queueActivity, type QueueActivity } from './queueActivity';

const historyWindow = '7d';

interface QueuesData {
  queues: QueueListResponse;
  workloads: WorkloadSummary[];
  history: Settled<ShowbackResponse>;
}

/** Why a queue's workloads wait, compactly: each reason code with its count, linked to its runbook. */
function PendingReasons({ activity }: { activity?: QueueActivity }) {
  const runbookUrl = useRunbookUrl();
  if (!activity?.pendingReasons.length) return <Text variant="body-small">—</Text>;
  return (
    <Flex direction="column" gap="0">
      {activity.pendingReasons.map(r => (
        <Text key={r.code} variant="body-small" style={{ overflowWrap: 'anywhere' }}>
          <Link to={runbookUrl(r.code)} aria-label={`Runbook for ${r.code}`}>
            {r.code}
          </Link>{' '}
          ×{r.count}
        </Text>
      ))}
    </Flex>
  );
}

function QueueTable(props: { clusterQueues: ClusterQueueSummary[]; activity: Map<string, QueueActivity> }) {
  const pendingPath = `${useRouteRef(rootRouteRef)()}/pending`;
  return (
    <TableRoot aria-label="ClusterQueues">
      <TableHeader>
        <Column id="queue" isRowHeader width={150}>
          ClusterQueue
        </Column>
        <Column id="pending" width={80}>
          Pending
        </Column>
        <Column id="admitted" width={90}>
          Admitted
        </Column>
        <Column id="rate" width={110}>
          Admitted 1 h
        </Column>
        <Column id="preemptions" width={120}>
          Preempted 24 h
        </Column>
        <Column id="share" width={90}>
          Fair share
        </Column>
        <Column id="reasons">Why they wait</Column>
      </TableHeader>
      <TableBody>
        {props.clusterQueues.map(q => {
          const a = props.activity.get(clusterQueueKey(q.cluster, q.name));
          const id = clusterQueueKey(q.cluster, q.name);
          return (
            <Row key={id} id={id}>
              <CellText title={q.name} description={`${q.cluster}${q.cohort ? ` · cohort ${q.cohort}` : ''}`} />
              <Cell>
                <Link to={`${pendingPath}?cluster=${encodeURIComponent(q.cluster)}&q=${encodeURIComponent(q.name)}`}>
                  {q.pending}
                </Link>
              </Cell>
              <CellText title={String(q.admitted)} />
              <CellText title={String(a?.admittedLastHour ?? 0)} />
              <CellText title={String(a?.preemptedLastDay ?? 0)} />
              <CellText title={formatFairShare(q.fairShare)} />
              <Cell>
                <PendingReasons activity={a} />
              </Cell>
            </Row>
          );
        })}
      </TableBody>
    </TableRoot>
  );
}

/** Average GPUs each queue held per day: its GPU-hours of the day over 24 hours. */
function QueueHistory({ history }: { history: Settled<ShowbackResponse> }) {
  if ('error' in history) return <Text>The usage history could not be loaded: {errorMessage(history.error)}</Text>;
  if (history.value.rows.length === 0) return <Text>No queue used GPUs in the last {historyWindow}.</Text>;
  const keys = seriesKeys(groupTotals(history.value));
  return (
    <DailyStackedChart
      points={dailySeries(history.value, keys, row => row.gpuHours / 24)}
      keys={keys}
      format={v => v.toLocaleString('en-US', { maximumFractionDigits: 1 })}
      label="GPUs in use per day by queue"
    />
  );
}

function QueuesBody({ data, cluster }: { data: QueuesData; cluster: string }) {
  const clusters = [...new Set(data.queues.clusterQueues.map(q => q.cluster))]
    .filter(c => !cluster || c === cluster)
    .sort();
  const activity = queueActivity(data.workloads);
  const lent = lentQuota(data.queues);
  return (
    <Flex direction="column" gap="4">
      <QueueTable
        clusterQueues={data.queues.clusterQueues.filter(q => clusters.includes(q.cluster))}
        activity={activity}
      />
      {clusters.map(c => {
        const { roots, standalone } = cohortForest(data.queues, c);
        return (
          <SectionCard key={c} title={`Cohorts on ${c}: quota used, borrowed and lent`}>
            <Flex direction="column" gap="3">
              {roots.map(root => (
                <CohortTree key={root.name} root={root} lent={lent} label={`Cohort tree ${root.name} on ${c}`} />
              ))}
              {standalone.map(q => (
                <ClusterQueueUsage key={q.name} queue={q} selected={false} />
              ))}
            </Flex>
          </SectionCard>
        );
      })}
      <SectionCard title={`GPUs in use per day by queue (last ${historyWindow})`}>
        <QueueHistory history={data.history} />
      </SectionCard>
    </Flex>
  );
}

/** Every ClusterQueue: cohort trees with borrowed and lent quota, admission and preemption rates, why work waits, usage over time. */
export function QueuesView() {
  const api = useApi(aiPlatformApiRef);
  const data = useLiveData<QueuesData>(async () => {
    const [queues, workloads, history] = await Promise.all([
      api.listQueues(),
      api.listWorkloads().then(r => r.items),
      settle(api.showback({ window: historyWindow, aggregate: 'queue' })),
    ]);
    return { queues, workloads, history };
  }, [api]);
  return (
    <ClusterView
      data={data}
      what="the queues"
      isEmpty={v => v.queues.clusterQueues.length === 0}
      empty={
        <Text>
          No ClusterQueues yet. Apply Kueue ResourceFlavors and ClusterQueues to a cluster, or list them under
          aiPlatform.queues in app-config.
        </Text>
      }
      clustersOf={v => [...new Set(v.queues.clusterQueues.map(q => q.cluster))].sort()}
    >
      {(v, cluster) => <QueuesBody data={v} cluster={cluster} />}
    </ClusterView>
  );
}
