import { KubeObject } from '../../store/types';
import { Controller } from './controller';
import { countPods, isActive, podFromTemplate, randomSuffix } from './pods';

/** apps/v1 ReplicaSet: `replicas` pods `<name>-<suffix>` that run until deleted; ended pods are replaced. */
export class ReplicaSetController extends Controller {
  readonly apiVersion = 'apps/v1';
  readonly kind = 'ReplicaSet';

  protected reconcile(rs: KubeObject): void {
    const podType = this.store.typeFor('v1', 'Pod');
    const replicas: number = rs.spec?.replicas ?? 1;
    const all = this.ctx.children.of(rs.metadata.uid, 'Pod');
    for (const pod of all.filter(p => !isActive(p)))
      this.store.delete(podType, pod.metadata.namespace, pod.metadata.name!);
    const pods = all.filter(isActive);
    for (const extra of pods.slice(replicas))
      this.store.delete(podType, extra.metadata.namespace, extra.metadata.name!);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    for (let i = pods.length; i < replicas; i++) {
      const pod = podFromTemplate(rs, rs.spec?.template, {
        name: `${rs.metadata.name}-${randomSuffix(this.ctx.random)}`,
        labels: hash ? { 'pod-template-hash': hash } : {},
        keepRunning: true,
      });
      this.store.create(podType, pod);
    }
    const counts = countPods(pods.slice(0, replicas));
    this.writeStatus(rs, {
      observedGeneration: rs.metadata.generation,
      replicas: Math.min(replicas, pods.length),
      fullyLabeledReplicas: Math.min(replicas, pods.length),
      readyReplicas: counts.ready,
      availableReplicas: counts.ready,
    });
  }
}
