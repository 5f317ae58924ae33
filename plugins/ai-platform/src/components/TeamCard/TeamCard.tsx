import type { ReactNode } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Card,
  CardBody,
  CardHeader,
  Cell,
  Column,
  Flex,
  Row,
  Skeleton,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
} from '@backstage/ui';
import type {
  AllocationEntry,
  AllocationResponse,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { formatGpuHours, formatMicros, formatShare } from '../common/format';
import { efficiencyNoteOf, groupTotals, settle, type Settled } from '../CostExplorer/costData';
import { formatQuantity, resourceLabel } from '../QueuePage/UsageBar';
import { BudgetBar } from './BudgetBar';
import { teamQuota, type TeamQuotaRow } from './teamQuota';

/** The window the card's workload figures cover. */
const workloadWindow = '30d';
const windowLabel = '30 days';
const topCount = 5;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Flex direction="column" gap="2">
        <Text as="h3" variant="title-x-small">
          {title}
        </Text>
        {children}
      </Flex>
    </section>
  );
}

function QuotaTable({ rows }: { rows: TeamQuotaRow[] }) {
  return (
    <TableRoot aria-label="GPU quota per flavor">
      <TableHeader>
        <Column isRowHeader>Queue</Column>
        <Column>Flavor</Column>
        <Column>Nominal</Column>
        <Column>In use</Column>
        <Column>Borrowed</Column>
        <Column>Lent</Column>
      </TableHeader>
      <TableBody>
        {rows.map(r => {
          const q = (v: number) => formatQuantity(r.resource, v);
          const id = `${r.cluster}/${r.clusterQueue}/${r.flavor}/${r.resource}`;
          return (
            <Row key={id} id={id}>
              <Cell>
                {r.clusterQueue} ({r.cluster})
              </Cell>
              <Cell>
                {r.flavor} {resourceLabel(r.resource)}
              </Cell>
              <Cell>{q(r.nominal)}</Cell>
              <Cell>{q(r.used)}</Cell>
              <Cell>{q(r.borrowed)}</Cell>
              <Cell>{r.cohort ? q(r.lent) : '—'}</Cell>
            </Row>
          );
        })}
      </TableBody>
    </TableRoot>
  );
}

function TopList({ label, rows }: { label: string; rows: Array<{ key: string; value: string; detail: string }> }) {
  return (
    <ol aria-label={label} style={{ margin: 0, paddingLeft: 20 }}>
      {rows.map(r => (
        <li key={r.key}>
          <Text variant="body-small">
            <strong>{r.key}</strong>: {r.value} <span style={{ opacity: 0.75 }}>({r.detail})</span>
          </Text>
        </li>
      ))}
    </ol>
  );
}

interface WorkloadFigures {
  showback: ShowbackResponse;
  allocation: Settled<AllocationResponse>;
}

/** GPU-hour-weighted efficiency of the workloads Prometheus had data for; null when none. */
export function weightedEfficiency(entries: AllocationEntry[]): number | null {
  const known = entries.filter(e => e.gpuEfficiency !== null && e.gpuHours > 0);
  const hours = known.reduce((s, e) => s + e.gpuHours, 0);
  return hours > 0 ? known.reduce((s, e) => s + e.gpuHours * (e.gpuEfficiency ?? 0), 0) / hours : null;
}

function Workloads({ figures }: { figures: WorkloadFigures }) {
  const { showback, allocation } = figures;
  const currency = showback.currency;
  const byCost = groupTotals(showback).slice(0, topCount);
  const entries =
    'value' in allocation && allocation.value.utilizationKnown
      ? Object.values(Object.assign({}, ...allocation.value.data) as Record<string, AllocationEntry>)
      : undefined;
  const efficiency = entries ? weightedEfficiency(entries) : null;
  const byIdle = (entries ?? [])
    .filter(e => e.idleCost !== null)
    .sort((a, b) => (b.idleCost ?? 0) - (a.idleCost ?? 0))
    .slice(0, topCount);
  const efficiencyNote = efficiencyNoteOf(allocation);
  return (
    <>
      <Section title="GPU efficiency">
        <Text variant="body-medium">
          {efficiency === null
            ? efficiencyNote ?? 'No GPU utilization was recorded for this team’s workloads.'
            : `${formatShare(efficiency)} of allocated GPU time used in the last ${windowLabel}`}
        </Text>
      </Section>
      <Section title={`Top workloads by cost (last ${windowLabel})`}>
        {byCost.length ? (
          <TopList
            label="Top workloads by cost"
            rows={byCost.map(t => ({
              key: t.key,
              value: formatMicros(t.costMicros, currency),
              detail: `${formatGpuHours(t.gpuHours)} GPU-hours`,
            }))}
          />
        ) : (
          <Text variant="body-small">No GPU cost recorded in the last {windowLabel}.</Text>
        )}
      </Section>
      {entries && byIdle.length > 0 && (
        <Section title={`Top workloads by idle cost (last ${windowLabel})`}>
          <TopList
            label="Top workloads by idle cost"
            rows={byIdle.map(e => ({
              key: e.name,
              value: formatMicros(Math.round((e.idleCost ?? 0) * 1_000_000), currency),
              detail: `${formatShare(e.gpuEfficiency)} efficient`,
            }))}
          />
        </Section>
      )}
    </>
  );
}

/** Quota and workload figures: asked for once the budget has answered, so the headline figure is not queued behind them. */
function TeamFigures({ team }: { team: string }) {
  const api = useApi(aiPlatformApiRef);
  const quota = useLiveData(() => api.listQueues().then(q => teamQuota(q, team)), [api, team]);
  const workloads = useLiveData<WorkloadFigures>(async () => {
    const query = { window: workloadWindow, aggregate: 'workload' as const, team };
    const [showback, allocation] = await Promise.all([api.showback(query), settle(api.allocation(query))]);
    return { showback, allocation };
  }, [api, team]);
  return (
    <>
      <Section title="GPU quota">
        <Loadable
          data={quota}
          what="the team's quota"
          isEmpty={v => v.length === 0}
          empty={
            <Text variant="body-small">
              No LocalQueue is labelled with team {team}, so no ClusterQueue quota is the team’s.
            </Text>
          }
        >
          {v => <QuotaTable rows={v} />}
        </Loadable>
      </Section>
      <Loadable data={workloads} what="the team's workload costs" empty={null}>
        {v => <Workloads figures={v} />}
      </Loadable>
    </>
  );
}

/** A team's GPU quota, spend against budget with the month-end forecast, costliest and most idle workloads, and GPU efficiency. */
export function TeamCard() {
  const { entity } = useEntity();
  const team = entity.metadata.name;
  const api = useApi(aiPlatformApiRef);
  const budget = useLiveData(
    // Only this team's budget: the backend computes no other team's spend for it.
    () => api.budgets({ team }).then(b => ({ currency: b.currency, status: b.items.find(i => i.team === team) })),
    [api, team],
  );

  return (
    <Card>
      <CardHeader>
        <Text variant="title-small">GPU platform: {team}</Text>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="4">
          <Section title="Budget this month">
            <Loadable
              data={budget}
              what="the team's budget"
              isEmpty={v => !v.status}
              empty={
                <Text variant="body-small">
                  No GPU budget is set for {team}. Set one under aiPlatform.budgets in app-config.
                </Text>
              }
            >
              {v => v.status && <BudgetBar budget={v.status} currency={v.currency} />}
            </Loadable>
          </Section>
          {budget.loading ? <Skeleton width="100%" height={120} /> : <TeamFigures team={team} />}
        </Flex>
      </CardBody>
    </Card>
  );
}
