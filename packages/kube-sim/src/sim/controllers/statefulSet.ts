import { KubeObject } from '../../store/types';
import { Controller } from './controller';
import { templateHash } from './deployment';
import { countPods, isActive, podFromTemplate } from './pods';

/**
 * apps/v1 StatefulSet: pods `<name>-<ordinal>` from `spec.ordinals.start` (default 0), replaced when
 * they end, removed from the top when scaled down.
 */
export class StatefulSetController extends Controller {
  readonly apiVersion = 'apps/v1';
  readonly kind = 'StatefulSet';

  protected reconcile(set: KubeObject): void {
    const podType = this.store.typeFor('v1', 'Pod');
    const name = set.metadata.name!;
    const replicas: number = set.spec?.replicas ?? 1;
    const revision = `${name}-${templateHash(set.spec?.template)}`;
    const pods = this.ctx.children.of(set.metadata.uid, 'Pod');
    const byName = new Map(pods.map(p => [p.metadata.name!, p]));
    const start: number = set.spec?.ordinals?.start ?? 0;
    for (const pod of pods) {
      const ordinal = Number(pod.metadata.name!.slice(name.length + 1));
      if (ordinal < start || ordinal >= start + replicas || !isActive(pod)) {
        this.store.delete(podType, pod.metadata.namespace, pod.metadata.name!);
        byName.delete(pod.metadata.name!);
      }
    }
    for (let i = start; i < start + replicas; i++) {
      const podName = `${name}-${i}`;
      if (byName.has(podName)) continue;
      const pod = podFromTemplate(set, set.spec?.template, {
        name: podName,
        labels: {
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': revision,
        },
        keepRunning: true,
      });
      pod.spec.hostname = podName;
      if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
      this.store.create(podType, pod);
    }
    const counts = countPods([...byName.values()]);
    this.writeStatus(set, {
      observedGeneration: set.metadata.generation,
      replicas: byName.size,
      readyReplicas: counts.ready,
      availableReplicas: counts.ready,
      currentReplicas: byName.size,
      updatedReplicas: byName.size,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    });
  }
}
