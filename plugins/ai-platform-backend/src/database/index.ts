export { KnexDecisionStore } from './KnexDecisionStore';
export { CostDatabase } from './CostDatabase';
export { migratePluginDatabase } from './migrations';
