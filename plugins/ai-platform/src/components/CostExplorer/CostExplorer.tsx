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
  BudgetsResponse,
  CostAggregation,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef, type CostQuery } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { errorMessage, Loadable } from '../common/Loadable';
import { formatGpuHours, formatMicros, formatShare } from '../common/format';
import { BudgetBurnDowns } from './BudgetBurnDown';
import { CostBarChart, DailyCostChart, UsedIdleChart } from './CostCharts';
import {
  dailyCost,
  efficiencyNoteOf,
  groupTotals,
  seriesKeys,
  settle,
  type GroupTotal,
  type Settled,
} from './costData';
import { costWindows, WindowPicker, type CostWindow } from './WindowPicker';
import { useSearchParam } from '../../hooks/useSearchParam';

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
  /** Non-admins may group by flavor or product only for one of their teams, so these may be refused. */
  flavors: Settled<ShowbackResponse>;
  products: Settled<ShowbackResponse>;
  /** Allocation is optional: without it the table has no efficiency, but costs still show. */
  allocation: Settled<AllocationResponse>;
  /** This month's budgets and each team's daily spend this month, for the burn-down. */
  budgets: Settled<{ budgets: BudgetsResponse; month: ShowbackResponse }>;
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

/** The total of a view's rows, so each chart says what it adds up to. */
const totalOf = (totals: GroupTotal[]) => totals.reduce((sum, t) => sum + t.costMicros, 0);

function BreakdownCard(props: {
  title: string;
  breakdown: Settled<ShowbackResponse>;
  currency: string;
  grandTotalMicros: number;
}) {
  const { breakdown } = props;
  const totals = 'value' in breakdown ? groupTotals(breakdown.value) : [];
  const total = totalOf(totals);
  return (
    <Card style={{ flex: 1, minWidth: 280 }}>
      <CardHeader>
        <Flex justify="between" align="center" gap="2">
          <Text variant="title-x-small">{props.title}</Text>
          {'value' in breakdown && <Text variant="body-small">Total {formatMicros(total, props.currency)}</Text>}
        </Flex>
      </CardHeader>
      <CardBody>
        {'error' in breakdown && (
          <Text>Not shown: {errorMessage(breakdown.error)} Type one of your teams under Team to see its split.</Text>
        )}
        {'value' in breakdown && total !== props.grandTotalMicros && (
          <Alert
            status="warning"
            title={`This view adds up to ${formatMicros(total, props.currency)}, not the window's ${formatMicros(
              props.grandTotalMicros,
              props.currency,
            )}: the ledger changed between requests. Refresh the page to see figures from one moment.`}
          />
        )}
        {'value' in breakdown &&
          (totals.length ? (
            <CostBarChart groups={totals} currency={props.currency} label={props.title} />
          ) : (
            <Text>No costs in this window.</Text>
          ))}
      </CardBody>
    </Card>
  );
}

function ExplorerBody({ data }: { data: ExplorerData }) {
  const { showback, flavors, products, allocation, budgets } = data;
  // Label by what the figures are grouped by, which lags the selector while new figures load.
  const grouping = groupingLabels[showback.aggregate as ExplorerGrouping] ?? showback.aggregate;
  const totals = groupTotals(showback, 'value' in allocation ? allocation.value : undefined);
  const keys = seriesKeys(totals);
  const currency = showback.currency;
  return (
    <Flex direction="column" gap="4">
      <Text variant="body-medium" aria-label="Total cost">
        Total {formatMicros(showback.totalCostMicros, currency)} from {showback.window.from.slice(0, 10)} to{' '}
        {showback.window.to.slice(0, 10)}
      </Text>
      <Card>
        <CardHeader>
          <Flex justify="between" align="center" gap="2">
            <Text variant="title-x-small">Cost per day by {grouping.toLowerCase()}</Text>
            <Text variant="body-small">Total {formatMicros(totalOf(totals), currency)}</Text>
          </Flex>
        </CardHeader>
        <CardBody>
          <DailyCostChart points={dailyCost(showback, keys)} keys={keys} currency={currency} />
        </CardBody>
      </Card>
      <Flex gap="4" style={{ flexWrap: 'wrap' }}>
        <BreakdownCard
          title="Cost by flavor"
          breakdown={flavors}
          currency={currency}
          grandTotalMicros={showback.totalCostMicros}
        />
        <BreakdownCard
          title="Cost by GPU product"
          breakdown={products}
          currency={currency}
          grandTotalMicros={showback.totalCostMicros}
        />
      </Flex>
      <Card>
        <CardHeader>
          <Text variant="title-x-small">Used and idle GPU cost by {grouping.toLowerCase()}</Text>
        </CardHeader>
        <CardBody>
          {'value' in allocation && allocation.value.utilizationKnown ? (
            <UsedIdleChart allocation={allocation.value} currency={currency} />
          ) : (
            <Text>{efficiencyNoteOf(allocation)}</Text>
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader>
          <Text variant="title-x-small">Budgets this month: what is left, and the forecast</Text>
        </CardHeader>
        <CardBody>
          {'error' in budgets ? (
            <Text>The budgets could not be loaded: {errorMessage(budgets.error)}</Text>
          ) : (
            <BudgetBurnDowns budgets={budgets.value.budgets} month={budgets.value.month} />
          )}
        </CardBody>
      </Card>
      <CostTable
        totals={totals}
        grouping={grouping}
        currency={currency}
        efficiencyNote={efficiencyNoteOf(allocation)}
      />
    </Flex>
  );
}

/**
 * GPU cost over a window, grouped by team, namespace, queue, flavor, cluster
 * or GPU product, with a CSV export. Window, grouping and team live in the
 * URL (`?window=7d&groupBy=flavor&team=ml-research`).
 */
export function CostExplorer() {
  const api = useApi(aiPlatformApiRef);
  const [window, setWindow] = useSearchParam<CostWindow>('window', '30d', costWindows);
  const [grouping, setGrouping] = useSearchParam<ExplorerGrouping>('groupBy', 'team', explorerGroupings);
  const [team, setTeam] = useSearchParam('team', '');
  const [teamDraft, setTeamDraft] = useState(team);
  const [download, setDownload] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const query: CostQuery = { window, aggregate: grouping, team: team || undefined };
  const windowDays = Number(window.replace('d', ''));
  const data = useLiveData<ExplorerData>(async () => {
    // One end for every request: open intervals accrue until the window's end, so all views add up alike.
    const to = Math.floor(Date.now() / 60_000) * 60_000;
    const fixed: CostQuery = {
      ...query,
      window: `${new Date(to - windowDays * 86_400_000).toISOString()},${new Date(to).toISOString()}`,
    };
    const forGroup = (aggregate: CostAggregation) =>
      grouping === aggregate ? undefined : settle(api.showback({ ...fixed, aggregate }));
    const monthStart = `${new Date(to).toISOString().slice(0, 7)}-01T00:00:00Z`;
    const [showback, flavors, products, allocation, budgets] = await Promise.all([
      api.showback(fixed),
      forGroup('flavor'),
      forGroup('gpu_product'),
      settle(api.allocation(fixed)),
      settle(
        Promise.all([
          api.budgets(),
          api.showback({ window: `${monthStart},${new Date(to).toISOString()}`, aggregate: 'team', team: query.team }),
        ]).then(([b, month]) => ({ budgets: b, month })),
      ),
    ]);
    return {
      showback,
      flavors: flavors ?? { value: showback },
      products: products ?? { value: showback },
      allocation,
      budgets,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, window, grouping, team]);

  const downloadCsv = () => {
    setDownload({ busy: true });
    api.showbackCsv(query).then(
      text => {
        downloadText(text, `showback-${grouping}-${window}.csv`);
        setDownload({ busy: false });
      },
      (error: Error) => setDownload({ busy: false, error: `The CSV could not be downloaded: ${errorMessage(error)}` }),
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
