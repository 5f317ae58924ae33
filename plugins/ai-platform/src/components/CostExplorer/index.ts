export { CostExplorer } from './CostExplorer';
