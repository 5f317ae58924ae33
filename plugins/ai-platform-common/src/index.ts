/**
 * Types, schemas, permissions and names shared by the AI platform plugins.
 *
 * @packageDocumentation
 */
export * from './reasons';
export * from './kueueReasons';
export * from './workloads';
export * from './api';
export * from './permissions';
export * from './costs';
export * from './quantity';
export * from './selectors';
export * from './percentile';
export * from './random';
export * from './client';
