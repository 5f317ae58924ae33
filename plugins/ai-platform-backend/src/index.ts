/**
 * The ai-platform backend plugin: admission controller, REST API under
 * /api/ai-platform, permission rules, signals and metrics.
 *
 * @packageDocumentation
 */
export { aiPlatformPlugin as default } from './plugin';
export { KnexDecisionStore } from './database';
export {
  workloadResourceRef,
  isWorkloadOwner,
  aiWorkloadConditions,
  createAiWorkloadConditionalDecision,
} from './permissions';
export { workloadSignalsChannel } from './routes/signals';
export type { WorkloadSignal } from './routes/signals';
export type { WorkloadService, WorkloadFilter, WorkloadChange } from './services/WorkloadService';
export type { DecisionStore, DecisionRecord } from './database/DecisionStore';
