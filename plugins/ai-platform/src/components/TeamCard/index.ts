export { TeamCard } from './TeamCard';
