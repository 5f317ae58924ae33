export { DefaultCostService } from './DefaultCostService';
export type { CostService, CostQuery, VisibleTeams } from './types';
