import { createExtensionPoint } from '@backstage/backend-plugin-api';

/** A GPU price from a price source: per GPU-hour, for a ResourceFlavor or a GPU product, from a time on. */
export interface GpuPrice {
  /** A ResourceFlavor name or a GPU product label (nvidia.com/gpu.product); flavor prices win over product prices. */
  match: string;
  /** Integer micro-units of the currency per whole-GPU hour. */
  microsPerHour: number;
  /** Epoch ms from which this price applies (0: always). */
  from: number;
}

/** Where GPU prices come from: the config price book, a cloud's price list, a contract database. */
export interface PriceSource {
  /** Named in startup errors and logs. */
  name: string;
  /** The currency of its prices; it must match aiPlatform.pricing.currency (default USD). */
  currency?: string;
  /** Read once at startup. */
  prices(): Promise<GpuPrice[]> | GpuPrice[];
}

/** Lets backend modules add GPU prices; the plugin's own config price book registers here too. */
export interface AiPlatformPriceSourcesExtensionPoint {
  /** Sources added later win for the same match and time; the config price book is added last, so config wins. */
  addPriceSource(...sources: PriceSource[]): void;
}

/** Extension point for GPU price sources. */
export const aiPlatformPriceSourcesExtensionPoint = createExtensionPoint<AiPlatformPriceSourcesExtensionPoint>({
  id: 'ai-platform.price-sources',
});

/** Which pods to ask about: one workload's pods in a namespace of a cluster. */
export interface PodSelection {
  cluster: string;
  namespace: string;
  pods: string[];
}

/** Tokens one inference pod processed in a window. */
export interface PodTokens {
  generation: number;
  prompt: number;
}

/** Token counts per pod of a window. */
export interface PodTokenCounts {
  get(cluster: string, namespace: string, pod: string): PodTokens | undefined;
}

/**
 * Where GPU utilization and inference token figures come from (the built-in
 * one reads Prometheus: DCGM, vLLM, SGLang). Every method answers undefined
 * when it does not know, which the costs show as unknown, never as zero.
 */
export interface TelemetrySource {
  /** Mean GPU utilization (0..1) per "namespace/pod" over [from, to). */
  utilizationByPod(from: number, to: number): Promise<Map<string, number> | undefined>;
  /** Mean GPU utilization (0..1) of the pods over time. */
  utilizationSeries(
    pods: PodSelection,
    from: number,
    to: number,
  ): Promise<Array<{ time: string; value: number }> | undefined>;
  /** Generated and prompt tokens per pod over [from, to). */
  tokensByPod(from: number, to: number): Promise<PodTokenCounts | undefined>;
  /** The 95th percentile time to first token of the pods, seconds; null when they answered no requests. */
  timeToFirstTokenP95(pods: PodSelection, from: number, to: number): Promise<number | null | undefined>;
}

/** Lets a backend module supply GPU telemetry; the built-in Prometheus source registers here when configured. */
export interface AiPlatformTelemetryExtensionPoint {
  /** One source serves the costs; a module's replaces the built-in one. */
  setTelemetrySource(source: TelemetrySource): void;
}

/** Extension point for the GPU telemetry source. */
export const aiPlatformTelemetryExtensionPoint = createExtensionPoint<AiPlatformTelemetryExtensionPoint>({
  id: 'ai-platform.telemetry',
});
