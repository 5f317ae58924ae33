/**
 * The AI platform's scheduling and quota engine: Kueue's admission semantics
 * (flavors, cohorts, borrowing, preemption, fair sharing, gangs, topology),
 * plus reasons, queue positions and ETAs, and a discrete-event simulator.
 * Pure: no I/O, deterministic.
 *
 * @packageDocumentation
 */
export * from './config/types';
export {
  ConfigError,
  parseQueueObjects,
  parseEngineOptions,
  defaultEngineOptions,
  defaultFeatureGates,
  emptyQueueConfig,
} from './config/parse';
export { devicesPerPod, resourceForDeviceClass } from './config/deviceClaims';
export type { PodResourceClaims } from './config/deviceClaims';
export { parseQuantity, formatQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
export * from './engine/types';
export { Engine, workloadBefore } from './engine/Engine';
export { withDeviceQuota } from './engine/devices';
export type { ResizeOutcome, WorkloadState, WorkloadStatus } from './engine/Engine';
export type { LocalQueueUsageReport } from './engine/admissionFairSharing';
export { NodeInventory } from './engine/topology';
export type { NodeSpec, Placement } from './engine/topology';
export { Simulation } from './simulator/Simulation';
export { estimateAdmissions } from './simulator/estimate';
export type { EstimateOptions } from './simulator/estimate';
export { parseScenario, scenarioFromDocument, ScenarioError } from './simulator/scenario';
export type { Scenario, ScenarioWorkload } from './simulator/scenario';
export type { ScenarioResize } from './simulator/scenarioSchema';
export { simulate } from './simulator/simulate';
export type { SimulationResult, SimulationEvent, WorkloadResult } from './simulator/simulate';
export { chooseCluster } from './simulator/multicluster';
export { kueueBenchmarks, kueueScenarioDocument, makespanBound } from './simulator/kueueBenchmark';
export type { KueueBenchmarkConfig, WorkloadClass } from './simulator/kueueBenchmark';
export { appendTo } from './engine/appendTo';
export { RunTimeModel, runTimeAt, sizeBucket } from './runtime/RunTimeModel';
export type {
  RunTimeFacts,
  FinishedRun,
  RunTimePrediction,
  RunTimeSource,
  RunTimeModelOptions,
} from './runtime/RunTimeModel';
export type { Quantiles } from './runtime/quantiles';
export { estimateAdmissionRange } from './simulator/eta';
export type { EtaRange, EtaRangeOptions, EtaSummary } from './simulator/eta';
export { chooseClusterByPolicy, clusterPolicies } from './simulator/eta';
export type { ClusterPolicy, ClusterCandidate, ClusterPolicyOptions } from './simulator/eta';
export { budgetPolicies, BudgetMeter } from './engine/budgets';
export type { BudgetPolicy, BudgetStandings, TeamBudgetStanding } from './engine/budgets';
export { WaitCalibration, waitGroupsOf } from './runtime/WaitCalibration';
export { ArrivalHistory } from './runtime/ArrivalHistory';
export type { FutureArrival } from './runtime/ArrivalHistory';
