import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import {
  Condition,
  deleteActive,
  hasCondition,
  isActive,
  isReady,
  podFromTemplate,
  PodTemplate,
  randomSuffix,
  setCondition,
} from './pods';

/** The labels KubeRay gives every Ray pod; a template may override all but cluster, node type and group. */
export const rayLabelKeys = {
  cluster: 'ray.io/cluster',
  nodeType: 'ray.io/node-type',
  group: 'ray.io/group',
  isRayNode: 'ray.io/is-ray-node',
  identifier: 'ray.io/identifier',
} as const;

/** The head group's name in KubeRay's labels. */
const headGroup = 'headgroup';

interface WorkerGroupSpec {
  groupName: string;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  numOfHosts?: number;
  suspend?: boolean;
  template?: PodTemplate;
}

/** Worker pods a group wants: replicas within [minReplicas, maxReplicas], times hosts per replica. */
function desiredWorkers(group: WorkerGroupSpec): number {
  if (group.suspend) return 0;
  const min = group.minReplicas ?? 0;
  const max = group.maxReplicas ?? Number.MAX_SAFE_INTEGER;
  const replicas = Math.min(max, Math.max(min, group.replicas ?? min));
  return replicas * (group.numOfHosts ?? 1);
}

function rayPodLabels(
  cluster: string,
  nodeType: 'head' | 'worker',
  group: string,
  templateLabels: Record<string, string> | undefined,
) {
  const fixed = {
    [rayLabelKeys.cluster]: cluster,
    [rayLabelKeys.nodeType]: nodeType,
    [rayLabelKeys.group]: group,
  };
  return {
    [rayLabelKeys.isRayNode]: 'yes',
    [rayLabelKeys.identifier]: `${cluster}-${nodeType}`,
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
    ...templateLabels,
    ...fixed,
  };
}

/**
 * ray.io/v1 RayCluster: one head pod `<cluster>-head-<suffix>` and each worker
 * group's pods `<cluster>-<group>-worker-<suffix>`, all owned by the cluster
 * and serving until deleted; ended pods are replaced. `spec.suspend` deletes
 * every pod. State "ready" once every pod is running and ready.
 */
export class RayClusterController extends Controller {
  readonly apiVersion = 'ray.io/v1';
  readonly kind = 'RayCluster';

  protected reconcile(cluster: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const podType = this.store.typeFor('v1', 'Pod');
    const name = cluster.metadata.name!;
    const spec = cluster.spec ?? {};
    const groups: WorkerGroupSpec[] = spec.workerGroupSpecs ?? [];
    const all = this.ctx.children.of(cluster.metadata.uid, 'Pod');
    for (const ended of all.filter(p => !isActive(p))) {
      this.store.delete(podType, ended.metadata.namespace, ended.metadata.name!);
    }
    const pods = all.filter(isActive);
    let conditions: Condition[] = cluster.status?.conditions ?? [];

    if (spec.suspend) {
      deleteActive(this.store, pods);
      conditions = setCondition(
        conditions,
        { type: 'RayClusterSuspended', status: 'True', reason: 'RayClusterSuspended', message: '' },
        now,
      );
      this.writeStatus(cluster, {
        ...cluster.status,
        state: 'suspended',
        readyWorkerReplicas: 0,
        availableWorkerReplicas: 0,
        desiredWorkerReplicas: 0,
        conditions,
      });
      return;
    }

    const ofGroup = (nodeType: string, group: string) =>
      pods.filter(
        p =>
          p.metadata.labels?.[rayLabelKeys.nodeType] === nodeType && p.metadata.labels?.[rayLabelKeys.group] === group,
      );
    const ensure = (nodeType: 'head' | 'worker', group: string, template: PodTemplate | undefined, wanted: number) => {
      const have = ofGroup(nodeType, group);
      for (const extra of have.slice(wanted))
        this.store.delete(podType, extra.metadata.namespace, extra.metadata.name!);
      const prefix = nodeType === 'head' ? `${name}-head` : `${name}-${group}-worker`;
      for (let i = have.length; i < wanted; i++) {
        const pod = podFromTemplate(cluster, template, {
          name: `${prefix}-${randomSuffix(this.ctx.random)}`,
          labels: rayPodLabels(name, nodeType, group, template?.metadata?.labels),
          keepRunning: true,
        });
        pods.push(this.store.create(podType, pod));
      }
    };
    ensure('head', headGroup, spec.headGroupSpec?.template, 1);
    for (const group of groups) ensure('worker', group.groupName, group.template, desiredWorkers(group));

    const head = ofGroup('head', headGroup)[0];
    const workers = pods.filter(p => p.metadata.labels?.[rayLabelKeys.nodeType] === 'worker');
    const desired = groups.reduce((n, g) => n + desiredWorkers(g), 0);
    const readyWorkers = workers.filter(isReady).length;
    const allReady = Boolean(head && isReady(head)) && readyWorkers >= desired;
    conditions = setCondition(
      conditions,
      head && isReady(head)
        ? { type: 'HeadPodReady', status: 'True', reason: 'HeadPodRunningAndReady', message: '' }
        : { type: 'HeadPodReady', status: 'False', reason: 'HeadPodNotFound', message: '' },
      now,
    );
    conditions = setCondition(
      conditions,
      { type: 'RayClusterSuspended', status: 'False', reason: 'RayClusterSuspended', message: '' },
      now,
    );
    const provisioned = hasCondition(conditions, 'RayClusterProvisioned');
    if (allReady || !provisioned) {
      // KubeRay sets Provisioned once, the first time every pod is ready, and never takes it back.
      conditions = setCondition(
        conditions,
        allReady
          ? { type: 'RayClusterProvisioned', status: 'True', reason: 'AllPodRunningAndReadyFirstTime', message: '' }
          : { type: 'RayClusterProvisioned', status: 'False', reason: 'RayClusterPodsProvisioning', message: '' },
        now,
      );
    }
    this.writeStatus(cluster, {
      ...cluster.status,
      ...(allReady ? { state: 'ready' } : {}),
      observedGeneration: cluster.metadata.generation,
      desiredWorkerReplicas: desired,
      minWorkerReplicas: groups.reduce((n, g) => n + (g.minReplicas ?? 0) * (g.numOfHosts ?? 1), 0),
      maxWorkerReplicas: groups.reduce((n, g) => n + (g.maxReplicas ?? desiredWorkers(g)) * (g.numOfHosts ?? 1), 0),
      readyWorkerReplicas: readyWorkers,
      availableWorkerReplicas: workers.filter(p => p.status?.phase === 'Running').length,
      head: head ? { podName: head.metadata.name, serviceName: `${name}-head-svc` } : {},
      conditions,
    });
  }
}
