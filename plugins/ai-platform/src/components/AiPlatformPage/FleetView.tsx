import { useApi } from '@backstage/core-plugin-api';
import { Alert, CellText, Column, Flex, Row, TableBody, TableHeader, TableRoot, Text } from '@backstage/ui';
import type {
  AllocationResponse,
  ClusterSummary,
  FleetNodesResponse,
  PoolHistoryResponse,
  QueueListResponse,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { errorMessage } from '../common/Loadable';
import { formatShare } from '../common/format';
import { dailySeries, groupTotals, seriesKeys, settle, type Settled } from '../CostExplorer/costData';
import { DailyStackedChart } from '../CostExplorer/CostCharts';
import { ClusterView } from '../common/ClusterView';
import { SectionCard } from '../common/SectionCard';
import { FleetHeatmap } from './FleetHeatmap';
import { GangSlots } from './GangSlots';
import { gpuPools, productLabel, type GpuPool } from './gpuPools';
import { PoolHistoryChart } from './PoolHistoryChart';

/** The window of the per-pool allocation and utilization chart, in its steps (2 h). */
const poolHistoryWindow = '24h';

/** The window the fleet's history and utilization cover. */
const historyWindow = '7d';

interface FleetData {
  clusters: ClusterSummary[];
  /** Which flavors give quota of which GPU resources. */
  queues: QueueListResponse;
  /** GPU-hours per day and flavor, from the cost ledger. */
  history: Settled<ShowbackResponse>;
  /** DCGM utilization per flavor over the window. */
  utilization: Settled<AllocationResponse>;
  /** Allocated GPUs and utilization per pool and step over the last day. */
  poolHistory: Settled<PoolHistoryResponse>;
  /** Every node with its GPUs allocated of capacity, for the heat map. */
  nodes: Settled<FleetNodesResponse>;
}

function utilizationOf(utilization: Settled<AllocationResponse>, flavor: string): string {
  if ('error' in utilization || !utilization.value.utilizationKnown) return '—';
  const entry = Object.assign({}, ...utilization.value.data)[flavor];
  return formatShare(entry?.gpuEfficiency ?? null);
}

function PoolTable({ pools, utilization }: { pools: GpuPool[]; utilization: Settled<AllocationResponse> }) {
  return (
    <TableRoot aria-label="GPU pools">
      <TableHeader>
        <Column id="pool" isRowHeader>
          Pool
        </Column>
        <Column id="gpu">GPU</Column>
        <Column id="unit">Handed out as</Column>
        <Column id="allocated">Allocated</Column>
        <Column id="free">Free</Column>
        <Column id="utilization">Utilization ({historyWindow})</Column>
      </TableHeader>
      <TableBody>
        {pools.map(p => {
          const id = `${p.cluster}/${p.flavor}/${p.resource}`;
          return (
            <Row key={id} id={id}>
              <CellText title={p.flavor} description={p.cluster} />
              <CellText title={productLabel(p.gpuProduct)} />
              <CellText title={p.unitLabel} description={p.resource} />
              <CellText
                title={`${p.allocated} of ${p.capacity}`}
                description={formatShare(p.capacity ? p.allocated / p.capacity : null)}
              />
              <CellText title={String(Math.max(0, p.capacity - p.allocated))} />
              <CellText title={utilizationOf(utilization, p.flavor)} />
            </Row>
          );
        })}
      </TableBody>
    </TableRoot>
  );
}

/** Average allocated GPUs per day and flavor: the ledger's GPU-hours of the day over 24 hours. */
function AllocationHistory({ showback }: { showback: ShowbackResponse }) {
  if (showback.rows.length === 0) return <Text>No GPU time was allocated in the last {historyWindow}.</Text>;
  const keys = seriesKeys(groupTotals(showback));
  return (
    <DailyStackedChart
      points={dailySeries(showback, keys, row => row.gpuHours / 24)}
      keys={keys}
      // Below one GPU (a new fleet's first hours) two significant digits, so the axis does not read 0, 0, 0.
      format={v =>
        v.toLocaleString('en-US', v > 0 && v < 1 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: 1 })
      }
      label="Allocated GPUs per day by flavor"
    />
  );
}

function FleetBody({ data, cluster }: { data: FleetData; cluster: string }) {
  const clusters = data.clusters.filter(c => !cluster || c.name === cluster);
  const pools = gpuPools(clusters, data.queues);
  const disconnected = clusters.filter(c => !c.connected);
  const utilizationNote =
    'error' in data.utilization
      ? `Utilization is unavailable: ${errorMessage(data.utilization.error)}`
      : !data.utilization.value.utilizationKnown &&
        'Utilization is unknown: the backend has no DCGM metrics from Prometheus (aiPlatform.prometheus.url).';
  return (
    <Flex direction="column" gap="4">
      {disconnected.map(c => (
        <Alert
          key={c.name}
          status="warning"
          title={`Cluster ${c.name} is not connected${c.lastError ? `: ${c.lastError}` : ''}.`}
          description="Its pools show what was last seen. Check the cluster's entry under kubernetes.clusterLocatorMethods."
        />
      ))}
      <SectionCard title="Pools">
        <Flex direction="column" gap="2">
          {pools.length ? (
            <PoolTable pools={pools} utilization={data.utilization} />
          ) : (
            <Text>
              No GPU pool: no ClusterQueue gives quota of a GPU resource on a flavor that selects GPU nodes. Add a
              ResourceFlavor whose nodeLabels match your GPU nodes (nvidia.com/gpu.product) and give a ClusterQueue
              quota of it.
            </Text>
          )}
          {utilizationNote && <Text variant="body-small">{utilizationNote}</Text>}
        </Flex>
      </SectionCard>
      {clusters.some(c => c.gangSlots) && (
        <SectionCard title="Free gang slots now">
          <GangSlots slots={clusters.flatMap(c => c.gangSlots ?? [])} />
        </SectionCard>
      )}
      <SectionCard title="Allocation per node, by cluster and pool">
        {'error' in data.nodes ? (
          <Text>The nodes could not be loaded: {errorMessage(data.nodes.error)}</Text>
        ) : (
          <FleetHeatmap pools={pools} nodes={data.nodes.value} />
        )}
      </SectionCard>
      <SectionCard title={`Allocation and utilization per pool (last ${poolHistoryWindow})`}>
        {'error' in data.poolHistory ? (
          <Text>The pools' history could not be loaded: {errorMessage(data.poolHistory.error)}</Text>
        ) : (
          <Flex direction="column" gap="2">
            <PoolHistoryChart history={data.poolHistory.value} cluster={cluster || undefined} />
            {!data.poolHistory.value.utilizationKnown && (
              <Text variant="body-small">Utilization is unknown: the backend has no DCGM metrics.</Text>
            )}
          </Flex>
        )}
      </SectionCard>
      <SectionCard title={`Allocated GPUs per day by flavor (last ${historyWindow})`}>
        {'error' in data.history ? (
          <Text>The allocation history could not be loaded: {errorMessage(data.history.error)}</Text>
        ) : (
          <AllocationHistory showback={data.history.value} />
        )}
      </SectionCard>
    </Flex>
  );
}

/** Every GPU pool of every cluster, whole GPUs, MIG slices and time-sliced shares, with allocation, utilization and history. */
export function FleetView() {
  const api = useApi(aiPlatformApiRef);
  const data = useLiveData<FleetData>(async () => {
    const query = { window: historyWindow, aggregate: 'flavor' as const };
    const [clusters, queues, history, utilization, poolHistory, nodes] = await Promise.all([
      api.listClusters(),
      api.listQueues(),
      settle(api.showback(query)),
      settle(api.allocation(query)),
      settle(api.poolHistory({ window: poolHistoryWindow })),
      settle(api.listNodes()),
    ]);
    return { clusters, queues, history, utilization, poolHistory, nodes };
  }, [api]);
  return (
    <ClusterView
      data={data}
      what="the fleet"
      isEmpty={v => v.clusters.length === 0}
      empty={<Text>No clusters are configured. Add one under kubernetes.clusterLocatorMethods in app-config.</Text>}
      clustersOf={v => v.clusters.map(c => c.name)}
    >
      {(v, cluster) => <FleetBody data={v} cluster={cluster} />}
    </ClusterView>
  );
}
