import { resourceFlavor } from './builders';

/**
 * Shared notation of the ports of Kueue's narrative integration specs
 * (test/integration/singlecluster/scheduler/*_test.go) as simulations: each
 * spec keeps its upstream name; workloads are created one second apart in
 * upstream's order and run long enough to still be running when the next one
 * arrives. Evictions finish at once here (upstream finishes them by hand), so
 * a preemptor is admitted in the same instant.
 */

/** Upstream's lowPriority, midPriority and highPriority in the specs that use three levels. */
export const low = -10;
export const mid = 0;
export const high = 10_000;

/** A single pod requesting `n` CPUs. */
export const cpu = (n: number) => ({ requests: { cpu: n } });

/** Still running when everything else in the spec has happened. */
export const long = { duration: 1000 };

/** The timeline's lines before `until` seconds. */
export const before = (lines: string[], until = 1000) => lines.filter(l => Number(l.split(' ')[0]) < until);

/** The flavor of `resource` in the first admission of workload `name` (namespace "default" unless given). */
export function flavorOf(
  result: {
    events: Array<{ type: string; workload: string; assignment?: Record<string, { flavors: Record<string, string> }> }>;
  },
  name: string,
  resource = 'cpu',
): string | undefined {
  const key = name.includes('/') ? name : `default/${name}`;
  const admitted = result.events.find(e => e.type === 'Admitted' && e.workload === key);
  return admitted?.assignment?.main?.flavors[resource];
}

/** scheduler_test.go's instanceKey and its three flavors, on-demand, spot-tainted and spot-untainted. */
export const instance = 'cloud.provider.com/instance';
export const flavors = [
  resourceFlavor('on-demand', { nodeLabels: { [instance]: 'on-demand' } }),
  resourceFlavor('spot-tainted', {
    nodeLabels: { [instance]: 'spot-tainted' },
    nodeTaints: [{ key: instance, value: 'spot-tainted', effect: 'NoSchedule' }],
  }),
  resourceFlavor('spot-untainted', { nodeLabels: { [instance]: 'spot-untainted' } }),
];
/** Tolerates spot-tainted's taint. */
export const spotToleration = { key: instance, operator: 'Equal', value: 'spot-tainted', effect: 'NoSchedule' };
