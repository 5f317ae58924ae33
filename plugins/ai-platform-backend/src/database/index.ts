export { KnexDecisionStore, migrateDecisionStore } from './KnexDecisionStore';
