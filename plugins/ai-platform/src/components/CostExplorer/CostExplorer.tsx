import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardHeader,
  Cell,
  Column,
  Flex,
  Row,
  Select,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
  TextField,
} from '@backstage/ui';
import type {
  AllocationResponse,
  CostAggregation,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef, type CostQuery } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { formatGpuHours, formatMicros, formatShare } from '../common/format';
import { DailyCostChart, FlavorCostChart } from './CostCharts';
import {
  dailyCost,
  efficiencyNoteOf,
  groupTotals,
  seriesKeys,
  settle,
  type GroupTotal,
  type Settled,
} from './costData';
import { WindowPicker, type CostWindow } from './WindowPicker';

/** What the explorer can group by (workload is too fine for a stacked chart; the team card lists workloads). */
export const explorerGroupings = [
  'team',
  'namespace',
  'queue',
  'flavor',
  'cluster',
  'gpu_product',
] as const satisfies readonly CostAggregation[];
type ExplorerGrouping = (typeof explorerGroupings)[number];

const groupingLabels: Record<ExplorerGrouping, string> = {
  team: 'Team',
  namespace: 'Namespace',
  queue: 'Queue',
  flavor: 'Flavor',
  cluster: 'Cluster',
  gpu_product: 'GPU product',
};

interface ExplorerData {
  showback: ShowbackResponse;
  flavors: ShowbackResponse;
  /** Allocation is optional: without it the table has no efficiency, but costs still show. */
  allocation: Settled<AllocationResponse>;
}

/** Saves text as a file through a temporary object URL (the CSV is fetched with the user's credentials, so a plain link would not do). */
export function downloadText(text: string, fileName: string, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function CostTable({
  totals,
  grouping,
  currency,
  efficiencyNote,
}: {
  totals: GroupTotal[];
  grouping: string;
  currency: string;
  efficiencyNote?: string;
}) {
  return (
    <Flex direction="column" gap="2">
      <TableRoot aria-label={`Cost by ${grouping}`}>
        <TableHeader>
          <Column isRowHeader>{grouping}</Column>
          <Column>GPU-hours</Column>
          <Column>Cost</Column>
          <Column>GPU efficiency</Column>
          <Column>Idle cost</Column>
        </TableHeader>
        <TableBody>
          {totals.map(t => (
            <Row key={t.key} id={t.key}>
              <Cell>{t.key}</Cell>
              <Cell>{formatGpuHours(t.gpuHours)}</Cell>
              <Cell>{formatMicros(t.costMicros, currency)}</Cell>
              <Cell>{formatShare(t.gpuEfficiency)}</Cell>
              <Cell>{t.idleCostMicros === null ? '—' : formatMicros(t.idleCostMicros, currency)}</Cell>
            </Row>
          ))}
        </TableBody>
      </TableRoot>
      {efficiencyNote && <Text variant="body-small">{efficiencyNote}</Text>}
    </Flex>
  );
}

function ExplorerBody({ data }: { data: ExplorerData }) {
  const { showback, flavors, allocation } = data;
  // Label by what the figures are grouped by, which lags the selector while new figures load.
  const grouping = groupingLabels[showback.aggregate as ExplorerGrouping] ?? showback.aggregate;
  const totals = groupTotals(showback, 'value' in allocation ? allocation.value : undefined);
  const keys = seriesKeys(totals);
  const flavorTotals = groupTotals(flavors);
  return (
    <Flex direction="column" gap="4">
      <Text variant="body-medium" aria-label="Total cost">
        Total {formatMicros(showback.totalCostMicros, showback.currency)} from {showback.window.from.slice(0, 10)} to{' '}
        {showback.window.to.slice(0, 10)}
      </Text>
      <Flex gap="4" style={{ flexWrap: 'wrap' }}>
        <Card style={{ flex: 2, minWidth: 420 }}>
          <CardHeader>
            <Text variant="title-x-small">Cost per day by {grouping.toLowerCase()}</Text>
          </CardHeader>
          <CardBody>
            <DailyCostChart points={dailyCost(showback, keys)} keys={keys} currency={showback.currency} />
          </CardBody>
        </Card>
        <Card style={{ flex: 1, minWidth: 300 }}>
          <CardHeader>
            <Text variant="title-x-small">Cost by flavor</Text>
          </CardHeader>
          <CardBody>
            {flavorTotals.length ? (
              <FlavorCostChart flavors={flavorTotals} currency={flavors.currency} />
            ) : (
              <Text>No flavor costs.</Text>
            )}
          </CardBody>
        </Card>
      </Flex>
      <CostTable
        totals={totals}
        grouping={grouping}
        currency={showback.currency}
        efficiencyNote={efficiencyNoteOf(allocation)}
      />
    </Flex>
  );
}

/** GPU cost over a window, grouped by team, namespace, queue, flavor, cluster or GPU product, with a CSV export. */
export function CostExplorer() {
  const api = useApi(aiPlatformApiRef);
  const [window, setWindow] = useState<CostWindow>('30d');
  const [grouping, setGrouping] = useState<ExplorerGrouping>('team');
  const [teamDraft, setTeamDraft] = useState('');
  const [team, setTeam] = useState('');
  const [download, setDownload] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const query: CostQuery = { window, aggregate: grouping, team: team || undefined };
  const data = useLiveData<ExplorerData>(async () => {
    const [showback, flavors, allocation] = await Promise.all([
      api.showback(query),
      grouping === 'flavor' ? undefined : api.showback({ ...query, aggregate: 'flavor' }),
      settle(api.allocation(query)),
    ]);
    return { showback, flavors: flavors ?? showback, allocation };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, window, grouping, team]);

  const downloadCsv = () => {
    setDownload({ busy: true });
    api.showbackCsv(query).then(
      text => {
        downloadText(text, `showback-${grouping}-${window}.csv`);
        setDownload({ busy: false });
      },
      (error: Error) => setDownload({ busy: false, error: `The CSV could not be downloaded: ${error.message}` }),
    );
  };

  return (
    <Flex direction="column" gap="3">
      <Flex gap="3" align="end" style={{ flexWrap: 'wrap' }}>
        <WindowPicker value={window} onChange={setWindow} />
        <Select
          label="Group by"
          selectedKey={grouping}
          onSelectionChange={key => key && setGrouping(key as ExplorerGrouping)}
          options={explorerGroupings.map(g => ({ value: g, label: groupingLabels[g] }))}
        />
        <TextField
          label="Team"
          description="Needed to group by anything but team unless you may see every team's costs"
          value={teamDraft}
          onChange={setTeamDraft}
          onBlur={() => setTeam(teamDraft.trim())}
          onKeyDown={e => e.key === 'Enter' && setTeam(teamDraft.trim())}
        />
        <Button
          variant="secondary"
          onPress={downloadCsv}
          isDisabled={download.busy}
          aria-label={`Download CSV of cost by ${groupingLabels[grouping].toLowerCase()} over ${window}`}
        >
          {download.busy ? 'Downloading…' : 'Download CSV'}
        </Button>
        {data.refreshing && (
          <Text variant="body-small" aria-live="polite">
            Updating…
          </Text>
        )}
      </Flex>
      {download.error && <Alert status="danger" title={download.error} />}
      {data.error && data.value && (
        <Alert
          status="danger"
          title={`Showing earlier figures; the latest could not be loaded: ${data.error.message}`}
        />
      )}
      <Loadable
        data={data}
        isEmpty={v => v.showback.rows.length === 0}
        empty={
          <Text>
            No GPU cost recorded in the last {window}
            {team ? ` for team ${team}` : ''}: nothing ran on priced GPUs in this window.
          </Text>
        }
      >
        {v => <ExplorerBody data={v} />}
      </Loadable>
    </Flex>
  );
}
