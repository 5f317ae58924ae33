export {
  workloadResourceRef,
  isWorkloadOwner,
  workloadRules,
  aiWorkloadConditions,
  createAiWorkloadConditionalDecision,
  workloadResourceId,
  parseWorkloadResourceId,
  teamGroupRef,
  teamOfGroupRef,
} from './rules';
export { TeamAccess, workloadRuleset, ownedBy, teamList } from './TeamAccess';
export type { Caller, Credentials, TeamAccessOptions } from './TeamAccess';
