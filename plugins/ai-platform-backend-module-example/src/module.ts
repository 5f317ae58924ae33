import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  aiPlatformPriceSourcesExtensionPoint,
  aiPlatformTelemetryExtensionPoint,
  aiPlatformWorkloadKindsExtensionPoint,
  type PriceSource,
  type TelemetrySource,
} from '@ai-platform/backstage-plugin-ai-platform-node';
import { rayClusterAdapter } from './rayCluster';

/** A contract price list: B200s, and a negotiated L4 price under the built-in list price. */
export const contractPrices: PriceSource = {
  name: 'example contract prices',
  currency: 'USD',
  prices: () => [
    { match: 'NVIDIA-B200', microsPerHour: 8_000_000, from: 0 },
    { match: 'NVIDIA-L4', microsPerHour: 500_000, from: 0 },
  ],
};

/** Telemetry that knows every GPU runs at half its capacity: enough to show where the costs read it from. */
export const halfBusyTelemetry: TelemetrySource = {
  utilizationByPod: async () => new Map(),
  utilizationSeries: async (_pods, from, to) => [
    { time: new Date(from).toISOString(), value: 0.5 },
    { time: new Date(to).toISOString(), value: 0.5 },
  ],
  tokensByPod: async () => undefined,
  timeToFirstTokenP95: async () => undefined,
};

/** Adds the RayCluster kind, a price source and a telemetry source to the ai-platform backend, as any outside module would. */
export const aiPlatformModuleExample = createBackendModule({
  pluginId: 'ai-platform',
  moduleId: 'example',
  register(env) {
    env.registerInit({
      deps: {
        kinds: aiPlatformWorkloadKindsExtensionPoint,
        prices: aiPlatformPriceSourcesExtensionPoint,
        telemetry: aiPlatformTelemetryExtensionPoint,
      },
      async init({ kinds, prices, telemetry }) {
        kinds.addWorkloadKinds(rayClusterAdapter);
        prices.addPriceSource(contractPrices);
        telemetry.setTelemetrySource(halfBusyTelemetry);
      },
    });
  },
});
