import type { InferenceEfficiency } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { PodTokenCounts } from '@ai-platform/backstage-plugin-ai-platform-node';
import type { PodUsage } from './rollup';

/**
 * Generated tokens per second of the window, per dollar per hour the service
 * cost on average over the window: (tokens / windowSeconds) / (cost / windowHours).
 * null when the service cost nothing (unpriced GPUs).
 */
export function tokensPerSecondPerDollar(
  generationTokens: number,
  windowMs: number,
  costMicros: number,
): number | null {
  if (costMicros <= 0 || windowMs <= 0) return null;
  const tokensPerSecond = generationTokens / (windowMs / 1000);
  const dollarsPerHour = costMicros / 1_000_000 / (windowMs / 3_600_000);
  return tokensPerSecond / dollarsPerHour;
}

/** Cost of a million generated tokens, micro-units (rounded to the nearest); null without tokens. */
export function costPerMillionTokensMicros(costMicros: number, generationTokens: number): number | null {
  if (generationTokens <= 0) return null;
  const tokens = BigInt(Math.round(generationTokens));
  return Number((BigInt(costMicros) * 1_000_000n + tokens / 2n) / tokens);
}

/**
 * Joins token counts per pod to the ledger's usage per pod: one entry per
 * workload that generated or read tokens in the window, with the GPU cost of
 * all its pods in the window.
 */
export function inferenceEfficiency(pods: PodUsage[], tokens: PodTokenCounts, windowMs: number): InferenceEfficiency[] {
  const serving = new Set(
    pods.filter(p => tokens.get(p.cluster, p.namespace, p.pod)).map(p => `${p.cluster}|${p.namespace}|${p.workload}`),
  );
  const items = new Map<string, InferenceEfficiency & { counted: Set<string> }>();
  for (const p of pods) {
    const id = `${p.cluster}|${p.namespace}|${p.workload}`;
    if (!serving.has(id)) continue;
    const item = items.get(id) ?? {
      cluster: p.cluster,
      namespace: p.namespace,
      workload: p.workload,
      ...(p.team ? { team: p.team } : {}),
      generationTokens: 0,
      promptTokens: 0,
      gpuHours: 0,
      costMicros: 0,
      tokensPerSecondPerDollar: null,
      costPerMillionTokensMicros: null,
      counted: new Set<string>(),
    };
    item.gpuHours += p.gpuMs / 3_600_000;
    item.costMicros += p.costMicros;
    // A pod with several GPU resources has several intervals but one set of counters.
    const t = tokens.get(p.cluster, p.namespace, p.pod);
    if (t && !item.counted.has(p.pod)) {
      item.counted.add(p.pod);
      item.generationTokens += t.generation;
      item.promptTokens += t.prompt;
    }
    items.set(id, item);
  }
  return [...items.values()]
    .map(({ counted: _counted, ...item }) => ({
      ...item,
      tokensPerSecondPerDollar: tokensPerSecondPerDollar(item.generationTokens, windowMs, item.costMicros),
      costPerMillionTokensMicros: costPerMillionTokensMicros(item.costMicros, item.generationTokens),
    }))
    .sort(
      (a, b) =>
        (b.tokensPerSecondPerDollar ?? -1) - (a.tokensPerSecondPerDollar ?? -1) || a.workload.localeCompare(b.workload),
    );
}
