import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Alert, Cell, Column, Flex, Row, TableBody, TableHeader, TableRoot, Text } from '@backstage/ui';
import type {
  InferenceEfficiency,
  InferenceEfficiencyResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { formatCount, formatGpuHours, formatMicros } from '../common/format';
import { WindowPicker, type CostWindow } from '../CostExplorer/WindowPicker';

/** Most tokens per second per dollar first; services without token counts last, cheapest first. */
export function rankServices(items: InferenceEfficiency[]): InferenceEfficiency[] {
  return [...items].sort(
    (a, b) =>
      (b.tokensPerSecondPerDollar ?? -Infinity) - (a.tokensPerSecondPerDollar ?? -Infinity) ||
      (a.costPerMillionTokensMicros ?? Infinity) - (b.costPerMillionTokensMicros ?? Infinity) ||
      `${a.namespace}/${a.workload}`.localeCompare(`${b.namespace}/${b.workload}`),
  );
}

/** The backend answers 404 while it has no /costs/inference route (older backends). */
const isNotFound = (error: unknown) => (error as { statusCode?: number } | undefined)?.statusCode === 404;

type LeaderboardData = { available: true; response: InferenceEfficiencyResponse } | { available: false };

function Leaderboard({ response }: { response: InferenceEfficiencyResponse }) {
  const { currency } = response;
  return (
    <TableRoot aria-label="Inference services by tokens per second per dollar">
      <TableHeader>
        <Column>Rank</Column>
        <Column isRowHeader>Service</Column>
        <Column>Team</Column>
        <Column>Tokens/s per $/h</Column>
        <Column>Per 1M tokens</Column>
        <Column>Tokens</Column>
        <Column>GPU-hours</Column>
        <Column>Cost</Column>
      </TableHeader>
      <TableBody>
        {rankServices(response.items).map((s, i) => (
          <Row key={`${s.cluster}/${s.namespace}/${s.workload}`} id={`${s.cluster}/${s.namespace}/${s.workload}`}>
            <Cell>{i + 1}</Cell>
            <Cell>
              {s.namespace}/{s.workload} <Text variant="body-small">({s.cluster})</Text>
            </Cell>
            <Cell>{s.team ?? '—'}</Cell>
            <Cell>
              {s.tokensPerSecondPerDollar === null
                ? '—'
                : s.tokensPerSecondPerDollar.toLocaleString('en-US', { maximumFractionDigits: 1 })}
            </Cell>
            <Cell>
              {s.costPerMillionTokensMicros === null ? '—' : formatMicros(s.costPerMillionTokensMicros, currency)}
            </Cell>
            <Cell>
              {formatCount(s.generationTokens)} generated · {formatCount(s.promptTokens)} prompt
            </Cell>
            <Cell>{formatGpuHours(s.gpuHours)}</Cell>
            <Cell>{formatMicros(s.costMicros, currency)}</Cell>
          </Row>
        ))}
      </TableBody>
    </TableRoot>
  );
}

/** Inference services ranked by generated tokens per second per dollar, with cost per million tokens. */
export function InferenceLeaderboard({ team }: { team?: string }) {
  const api = useApi(aiPlatformApiRef);
  const [window, setWindow] = useState<CostWindow>('7d');
  const data = useLiveData<LeaderboardData>(
    () =>
      api.inferenceEfficiency({ window, team }).then(
        response => ({ available: true as const, response }),
        error => {
          if (isNotFound(error)) return { available: false as const };
          throw error;
        },
      ),
    [api, window, team],
  );
  return (
    <Flex direction="column" gap="3">
      <Flex gap="3" align="center" style={{ flexWrap: 'wrap' }}>
        <WindowPicker value={window} onChange={setWindow} />
        <Text variant="body-small">
          Generated tokens per second, per dollar per hour the service's GPUs cost: higher is better.
        </Text>
      </Flex>
      <Loadable data={data} empty={null}>
        {v => {
          if (!v.available) {
            return (
              <Alert
                status="info"
                title="Inference efficiency is not available: this AI platform backend has no /costs/inference route yet. Update the ai-platform backend to rank inference services."
              />
            );
          }
          if (!v.response.tokensKnown) {
            return (
              <Alert
                status="warning"
                title="Token counts unknown: the backend could not read vLLM or SGLang token counters from Prometheus. Set aiPlatform.prometheus.url and check that Prometheus scrapes the inference servers."
              />
            );
          }
          if (v.response.items.length === 0) {
            return <Text>No inference services served tokens in the last {window}.</Text>;
          }
          return <Leaderboard response={v.response} />;
        }}
      </Loadable>
    </Flex>
  );
}
