import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { countPods, isActive, isReady, podFromTemplate, PodTemplate, setCondition } from './pods';

/** leaderworkerset.x-k8s.io/v1 LeaderWorkerSet: `replicas` groups of `size` pods (leader `<name>-<g>`, workers `<name>-<g>-<w>`). */
export class LeaderWorkerSetController extends Controller {
  readonly apiVersion = 'leaderworkerset.x-k8s.io/v1';
  readonly kind = 'LeaderWorkerSet';

  protected reconcile(lws: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const podType = this.store.typeFor('v1', 'Pod');
    const name = lws.metadata.name!;
    const replicas: number = lws.spec?.replicas ?? 1;
    const template = lws.spec?.leaderWorkerTemplate ?? {};
    const size: number = template.size ?? 1;
    const pods = this.ctx.children.of(lws.metadata.uid, 'Pod');
    const byName = new Map<string, KubeObject>();
    for (const pod of pods) {
      const group = Number(pod.metadata.labels?.['leaderworkerset.sigs.k8s.io/group-index']);
      if (group >= replicas || !isActive(pod)) this.store.delete(podType, pod.metadata.namespace, pod.metadata.name!);
      else byName.set(pod.metadata.name!, pod);
    }
    for (let g = 0; g < replicas; g++) {
      for (let w = 0; w < size; w++) {
        const podName = w === 0 ? `${name}-${g}` : `${name}-${g}-${w}`;
        if (byName.has(podName)) continue;
        const podTemplate: PodTemplate = (w === 0 ? template.leaderTemplate : undefined) ?? template.workerTemplate;
        const pod = podFromTemplate(lws, podTemplate, {
          name: podName,
          labels: {
            'leaderworkerset.sigs.k8s.io/name': name,
            'leaderworkerset.sigs.k8s.io/group-index': String(g),
            'leaderworkerset.sigs.k8s.io/worker-index': String(w),
            'leaderworkerset.sigs.k8s.io/group-key': `${name}-${g}`,
          },
          annotations: {
            'leaderworkerset.sigs.k8s.io/size': String(size),
            ...(w > 0 ? { 'leaderworkerset.sigs.k8s.io/leader-name': `${name}-${g}` } : {}),
          },
          keepRunning: true,
        });
        this.store.create(podType, pod);
      }
    }
    const current = [...byName.values()];
    let readyGroups = 0;
    for (let g = 0; g < replicas; g++) {
      const group = current.filter(p => p.metadata.labels?.['leaderworkerset.sigs.k8s.io/group-index'] === String(g));
      if (group.length === size && group.every(isReady)) readyGroups++;
    }
    const counts = countPods(current);
    const available = readyGroups === replicas && replicas > 0;
    const conditions = setCondition(
      lws.status?.conditions,
      available
        ? { type: 'Available', status: 'True', reason: 'AllGroupsReady', message: 'All replicas are ready' }
        : {
            type: 'Available',
            status: 'False',
            reason: 'GroupsNotReady',
            message: `${readyGroups}/${replicas} groups ready (${counts.ready} pods ready)`,
          },
      now,
    );
    this.writeStatus(lws, {
      replicas,
      readyReplicas: readyGroups,
      updatedReplicas: replicas,
      hpaPodSelector: `leaderworkerset.sigs.k8s.io/name=${name},leaderworkerset.sigs.k8s.io/worker-index=0`,
      conditions,
    });
  }
}
