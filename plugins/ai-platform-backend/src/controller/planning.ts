import { InputError, NotFoundError } from '@backstage/errors';
import {
  labels,
  type PlanResponse,
  type SubmitWorkloadRequest,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadKindAdapter, WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import { chooseCluster, type EstimateOptions, type Workload } from '@ai-platform/scheduler';
import type { ClusterController } from './ClusterController';

/** The manifest as it will be created: namespace, queue label, and for planning a creation time. */
export function normalizeManifest(
  request: SubmitWorkloadRequest,
  adapters: WorkloadKindAdapter[],
): { adapter: WorkloadKindAdapter; obj: WorkloadObject; queue: string } {
  const manifest = structuredClone(request.manifest) as Partial<WorkloadObject>;
  const adapter = adapters.find(a => a.apiVersion === manifest.apiVersion && a.kind === manifest.kind);
  if (!adapter) {
    const known = adapters.map(a => `${a.apiVersion} ${a.kind}`).join(', ');
    throw new InputError(
      `manifest ${manifest.apiVersion ?? '<no apiVersion>'} ${
        manifest.kind ?? '<no kind>'
      } is not a workload kind the platform admits; use one of: ${known}`,
    );
  }
  const name = manifest.metadata?.name;
  if (!name) throw new InputError('manifest.metadata.name is required');
  const queue = request.queue ?? manifest.metadata?.labels?.[labels.queueName];
  if (!queue) throw new InputError(`give a queue, or label the manifest with ${labels.queueName}`);
  const {
    uid: _u,
    resourceVersion: _r,
    creationTimestamp: _c,
    ...metadata
  }: Partial<WorkloadObject['metadata']> = manifest.metadata ?? { name };
  const obj = {
    ...manifest,
    metadata: {
      ...metadata,
      name,
      namespace: metadata.namespace ?? 'default',
      labels: { ...metadata.labels, [labels.queueName]: queue },
    },
  } as WorkloadObject;
  return { adapter, obj, queue };
}

/**
 * Where and when the workload would start: among the clusters that have its
 * LocalQueue, the one where it is expected to be admitted first, with the
 * flavors it would get there (or why it would wait). No side effects.
 */
export function planWorkload(
  workload: Workload,
  controllers: ClusterController[],
  wanted: string | undefined,
  now: number,
  estimate: EstimateOptions,
): PlanResponse {
  if (wanted && !controllers.some(c => c.name === wanted)) {
    throw new NotFoundError(
      `cluster ${wanted} is not configured; known clusters: ${controllers.map(c => c.name).join(', ')}`,
    );
  }
  const lq = `${workload.namespace}/${workload.queue}`;
  const candidates = controllers.filter(
    c => (!wanted || c.name === wanted) && c.engine.queueConfig.localQueues.has(lq),
  );
  if (candidates.length === 0) {
    return {
      queue: workload.queue,
      admissible: false,
      reason: {
        code: 'QueueNotFound',
        message: `No cluster${wanted ? ` named ${wanted}` : ''} has LocalQueue ${workload.queue} in namespace ${
          workload.namespace
        }`,
      },
      etasByCluster: {},
    };
  }
  // A name of its own, so that planning an existing workload does not clash with it.
  const probe: Workload = { ...workload, key: `${workload.key}#plan`, creationTime: now };
  const choice = chooseCluster(
    probe,
    candidates.map(c => ({ name: c.name, engine: c.engine })),
    now,
    estimate,
  );
  const cluster = choice.cluster ?? candidates[0].name;
  const engine = candidates.find(c => c.name === cluster)!.engine.clone();
  engine.submit(probe);
  const admitted = engine.schedule(now).find(d => d.type === 'Admitted' && d.workload === probe.key);
  const state = engine.get(probe.key)!;
  const eta = choice.etas[cluster];
  const etasByCluster = Object.fromEntries(
    Object.entries(choice.etas).map(([name, t]) => [name, t === undefined ? null : new Date(t).toISOString()]),
  );
  if (admitted && admitted.type === 'Admitted') {
    const flavors = Object.assign({}, ...admitted.admission.podSets.map(p => p.flavors)) as Record<string, string>;
    return {
      cluster,
      queue: workload.queue,
      clusterQueue: admitted.clusterQueue,
      flavors,
      admissible: true,
      eta: new Date(now).toISOString(),
      estimatedWaitSeconds: 0,
      etasByCluster,
    };
  }
  const pending = engine.pending().find(p => p.workload === probe.key);
  // "Admissible" means the next scheduling cycle admits it; otherwise the reason and the ETA say when and why not.
  return {
    cluster,
    queue: workload.queue,
    clusterQueue: state.clusterQueue,
    admissible: false,
    reason: pending?.reason ?? state.routeProblem,
    eta: eta === undefined ? undefined : new Date(eta).toISOString(),
    estimatedWaitSeconds: eta === undefined ? undefined : Math.round((eta - now) / 1000),
    etasByCluster,
  };
}
