/**
 * An example module of the ai-platform backend, built only on its -node
 * extension points: a RayCluster workload kind, a price source and a
 * telemetry source.
 *
 * @packageDocumentation
 */
export { aiPlatformModuleExample as default } from './module';
export { contractPrices, halfBusyTelemetry } from './module';
export { rayClusterAdapter } from './rayCluster';
