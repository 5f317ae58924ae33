import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { z } from 'zod/v4';
import { labels, type SubmitWorkloadRequest } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadService } from '../services/WorkloadService';
import { parseInput } from './validation';

/** A message for a value that is missing; zod's own for one of the wrong type. */
const whenMissing = (message: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? message : undefined),
});

/** The Kubernetes metadata a submission must carry, with sentences saying what to set. */
const manifestMetadataSchema = z.object({
  kind: z.string(whenMissing('the manifest needs a kind')).min(1),
  metadata: z.object(
    {
      name: z.string().min(1).optional(),
      generateName: z.string().min(1).optional(),
      namespace: z.string(whenMissing('set metadata.namespace to the namespace of the LocalQueue')).min(1),
      labels: z.record(z.string(), z.string()).optional(),
    },
    whenMissing('the manifest needs metadata with a namespace'),
  ),
});

/** Throws InputError naming the field unless the manifest has a kind and metadata.namespace. */
export function checkManifest(request: SubmitWorkloadRequest) {
  return parseInput(manifestMetadataSchema, request.manifest, 'manifest');
}

/** A LocalQueue a submission targets, with the team its namespace belongs to. */
export interface TargetQueue {
  cluster?: string;
  namespace: string;
  name: string;
  team?: string;
}

/** The LocalQueue a submission targets, with the team its namespace belongs to. */
export async function targetQueue(workloads: WorkloadService, request: SubmitWorkloadRequest): Promise<TargetQueue> {
  const manifest = checkManifest(request);
  const namespace = manifest.metadata.namespace;
  const name = request.queue ?? manifest.metadata.labels?.[labels.queueName];
  if (!name) {
    throw new InputError(
      `queue: name the LocalQueue in "queue" or in the manifest label ${labels.queueName} (GET /queues lists them).`,
    );
  }
  const { clusterQueues } = await workloads.listQueues();
  const matches = clusterQueues
    .filter(cq => request.cluster === undefined || cq.cluster === request.cluster)
    .flatMap(cq => cq.localQueues.filter(lq => lq.namespace === namespace && lq.name === name));
  if (matches.length === 0) {
    const loading = (await workloads.listClusters()).filter(
      c => !c.connected && (request.cluster === undefined || c.name === request.cluster),
    );
    if (loading.length > 0) {
      throw new ServiceUnavailableError(
        `queue: no LocalQueue ${name} in namespace ${namespace} yet, but cluster ${loading
          .map(c => c.name)
          .join(', ')} is still loading (${loading[0].lastError ?? 'connecting'}); retry in a few seconds.`,
      );
    }
    throw new InputError(
      `queue: there is no LocalQueue ${name} in namespace ${namespace}${
        request.cluster ? ` on cluster ${request.cluster}` : ''
      }; set metadata.namespace and queue to one that GET /queues lists.`,
    );
  }
  // A LocalQueue of that name may exist in several clusters; all must be the caller's team's.
  const foreign = matches.find(lq => lq.team !== matches[0].team);
  return { cluster: request.cluster, namespace, name, team: foreign ? undefined : matches[0].team };
}

/**
 * Stamps the queue's team on the workload (ai-platform.io/team), which is
 * how it is owned afterwards; a label naming another team is refused.
 */
export function withTeamLabel(request: SubmitWorkloadRequest, queue: TargetQueue): SubmitWorkloadRequest {
  const metadata = request.manifest.metadata as { labels?: Record<string, string> };
  const labelled = metadata.labels?.[labels.team];
  if (!queue.team) return request;
  if (labelled !== undefined && labelled !== queue.team) {
    throw new InputError(
      `manifest.metadata.labels["${labels.team}"]: it says ${labelled}, but LocalQueue ${queue.namespace}/${queue.name} belongs to team ${queue.team}; remove the label or set it to ${queue.team}.`,
    );
  }
  return {
    ...request,
    manifest: {
      ...request.manifest,
      metadata: { ...metadata, labels: { ...metadata.labels, [labels.team]: queue.team } },
    },
  };
}
