/**
 * Types, schemas, permissions and names shared by the AI platform plugins.
 *
 * @packageDocumentation
 */
export * from './reasons';
export * from './workloads';
