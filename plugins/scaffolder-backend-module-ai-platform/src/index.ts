/**
 * Scaffolder actions of the AI platform: `ai-platform:workload:plan` and
 * `ai-platform:workload:submit`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAiPlatform as default } from './module';
export { createPlanWorkloadAction } from './actions/planAction';
export { createSubmitWorkloadAction } from './actions/submitAction';
export { queuedWorkloadKinds, readManifests } from './actions/manifests';
