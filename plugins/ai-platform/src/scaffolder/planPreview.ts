import type { PlanResponse, SubmitWorkloadRequest } from '@ai-platform/backstage-plugin-ai-platform-common';
import { relativeTime } from '../components/common/format';

/** The gang a training template's Resources step describes. */
export interface GangShape {
  namespace: string;
  queue: string;
  gpuProduct: string;
  nodes: number;
  gpusPerNode: number;
  /** kueue.x-k8s.io/podset-required-topology, when the gang must stay in one domain. */
  topology?: string;
}

/**
 * A plan request for the gang as the training template renders it (a JobSet
 * of `nodes` pods with `gpusPerNode` GPUs on the product's nodes), so the
 * form's wait is what the template's plan step will report.
 */
export function gangPlanRequest(gang: GangShape): SubmitWorkloadRequest {
  const gpus = String(gang.gpusPerNode);
  return {
    queue: gang.queue,
    dryRun: true,
    manifest: {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: {
        name: 'resources-step-preview',
        namespace: gang.namespace,
        labels: { 'kueue.x-k8s.io/queue-name': gang.queue },
      },
      spec: {
        suspend: true,
        replicatedJobs: [
          {
            name: 'workers',
            replicas: 1,
            template: {
              spec: {
                parallelism: gang.nodes,
                completions: gang.nodes,
                completionMode: 'Indexed',
                template: {
                  metadata: gang.topology
                    ? { annotations: { 'kueue.x-k8s.io/podset-required-topology': gang.topology } }
                    : {},
                  spec: {
                    restartPolicy: 'Never',
                    nodeSelector: { 'nvidia.com/gpu.product': gang.gpuProduct },
                    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
                    containers: [
                      {
                        name: 'trainer',
                        image: 'preview',
                        resources: {
                          requests: { cpu: '16', memory: '128Gi', 'nvidia.com/gpu': gpus },
                          limits: { 'nvidia.com/gpu': gpus },
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
        ],
      },
    },
  };
}

/** The expected wait of a plan in words: "starts now", "expected to start in 25 min", or why it cannot start. */
export function formatWait(plan: PlanResponse, now = Date.now()): string {
  if (!plan.admissible && !plan.eta) return `cannot start as asked: ${plan.reason?.message ?? 'no flavor fits'}`;
  const clusters = Object.entries(plan.etasByCluster)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([cluster, eta]) => `${cluster} ${relativeTime(eta, now)}`);
  const when = plan.admissible || !plan.eta ? 'starts now' : `expected to start ${relativeTime(plan.eta, now)}`;
  return clusters.length > 1 ? `${when} (${clusters.join(', ')})` : when;
}
