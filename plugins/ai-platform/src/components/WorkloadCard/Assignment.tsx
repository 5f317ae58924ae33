import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';

const isGpu = (resource: string) => /gpu/i.test(resource);

/** GPUs one pod of a pod set requests. */
export function gpusPerPod(requests: Record<string, number>): number {
  return Object.entries(requests).reduce((sum, [resource, n]) => sum + (isGpu(resource) ? n : 0), 0);
}

/** Where an admitted workload runs: cluster and ClusterQueue, then per pod set its flavors, GPUs and nodes. */
export function Assignment({ workload }: { workload: WorkloadSummary }) {
  const assignment = workload.assignment;
  if (!assignment) return <span>not admitted yet</span>;
  return (
    <ul aria-label="Assignment" style={{ margin: 0, paddingLeft: 16 }}>
      <li>
        cluster {workload.cluster}, ClusterQueue {assignment.clusterQueue}
      </li>
      {assignment.podSets.map(ps => {
        const spec = workload.podSets.find(p => p.name === ps.name);
        const gpus = spec ? gpusPerPod(spec.requests) * ps.count : undefined;
        const flavors = Object.entries(ps.flavors).map(
          ([resource, flavor]) => `${resource.replace(/^.*\//, '')} on ${flavor}`,
        );
        return (
          <li key={ps.name}>
            {ps.name}: {ps.count} pods{gpus ? `, ${gpus} GPUs` : ''} · {flavors.join(', ') || 'no flavor'}
            {ps.nodes?.length ? ` · nodes ${ps.nodes.join(', ')}` : ''}
          </li>
        );
      })}
    </ul>
  );
}
