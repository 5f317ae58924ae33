export { InferenceLeaderboard } from './InferenceLeaderboard';
