export {
  workloadResourceRef,
  isWorkloadOwner,
  workloadRules,
  aiWorkloadConditions,
  createAiWorkloadConditionalDecision,
  workloadResourceId,
  parseWorkloadResourceId,
  teamGroupRef,
} from './rules';
export { WorkloadAccess, workloadRuleset } from './WorkloadAccess';
export type { Caller, WorkloadAccessOptions } from './WorkloadAccess';
