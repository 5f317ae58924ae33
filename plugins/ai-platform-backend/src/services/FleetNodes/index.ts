export { DefaultFleetNodeService } from './DefaultFleetNodeService';
export type { FleetNodeService } from './types';
