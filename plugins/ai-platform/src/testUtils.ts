/** Test data for the plugin's pages, shared with the app's UI benchmark. */
export { pendingWorkload } from './testing/workloads';
