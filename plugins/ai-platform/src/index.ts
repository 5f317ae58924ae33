/**
 * The AI platform frontend plugin: workload, team and queue pages, fleet and
 * cost dashboards. Legacy frontend system exports; see `./alpha` for the new one.
 *
 * @packageDocumentation
 */
export { aiPlatformPlugin, AiPlatformPage } from './plugin';
