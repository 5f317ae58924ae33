/** ETAs: the Monte Carlo range, how the simulator measures them, and cluster choice by ETA. */
export { estimateAdmissionRange, type EtaRange, type EtaRangeOptions } from './etaRange';
export {
  defaultEtaSettings,
  etaWorkloadOf,
  type DeclaredWorkload,
  type EtaSettings,
  type EtaWorkload,
} from './etaSettings';
export { EtaTracker, type ErrorFigures, type EtaSummary } from './etaTracker';
export {
  chooseClusterByPolicy,
  clusterPolicies,
  type ClusterCandidate,
  type ClusterPolicy,
  type ClusterPolicyOptions,
} from './clusterPolicy';
