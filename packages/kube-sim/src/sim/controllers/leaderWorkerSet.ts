import { createHash } from 'node:crypto';
import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { templateHash } from './deployment';
import { isActive, isReady, ownerReference, PodTemplate, setCondition } from './pods';

const lwsKeys = {
  name: 'leaderworkerset.sigs.k8s.io/name',
  groupIndex: 'leaderworkerset.sigs.k8s.io/group-index',
  workerIndex: 'leaderworkerset.sigs.k8s.io/worker-index',
  groupKey: 'leaderworkerset.sigs.k8s.io/group-key',
  revision: 'leaderworkerset.sigs.k8s.io/template-revision-hash',
  size: 'leaderworkerset.sigs.k8s.io/size',
  replicas: 'leaderworkerset.sigs.k8s.io/replicas',
  leaderName: 'leaderworkerset.sigs.k8s.io/leader-name',
} as const;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** A pod template with labels and annotations added on top of its own. */
function withMetadata(
  template: PodTemplate | undefined,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): PodTemplate {
  return {
    ...structuredClone(template ?? {}),
    metadata: {
      ...template?.metadata,
      labels: { ...template?.metadata?.labels, ...labels },
      annotations: { ...template?.metadata?.annotations, ...annotations },
    },
  };
}

/**
 * leaderworkerset.x-k8s.io/v1 LeaderWorkerSet, as the LWS controller runs it:
 * a leader StatefulSet `<name>` it owns with one leader pod `<name>-<g>` per
 * group, and for each leader pod a worker StatefulSet `<name>-<g>` owned by
 * that pod, whose pods are `<name>-<g>-1..size-1`. Both StatefulSets carry the
 * LWS's labels. Scaling the LWS to 0 scales the leader StatefulSet to 0, and
 * the worker StatefulSets go with their leaders. It also does the LWS pod
 * webhook's labelling (group index and key, worker index).
 */
export class LeaderWorkerSetController extends Controller {
  readonly apiVersion = 'leaderworkerset.x-k8s.io/v1';
  readonly kind = 'LeaderWorkerSet';
  private unsubscribeLabelled?: () => void;

  start(): void {
    super.start();
    // Worker StatefulSets and their pods are owned by leader pods, not by the LWS: find them by label.
    this.unsubscribeLabelled = this.store.subscribe(e => {
      const lws = e.object.metadata.labels?.[lwsKeys.name];
      if (lws && (e.resource.kind === 'Pod' || e.resource.kind === 'StatefulSet')) {
        this.enqueue(e.object.metadata.namespace, lws);
      }
    });
  }

  stop(): void {
    this.unsubscribeLabelled?.();
    super.stop();
  }

  protected reconcile(lws: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const stsType = this.store.typeFor('apps/v1', 'StatefulSet');
    const podType = this.store.typeFor('v1', 'Pod');
    const name = lws.metadata.name!;
    const namespace = lws.metadata.namespace!;
    const replicas: number = lws.spec?.replicas ?? 1;
    const lwt = lws.spec?.leaderWorkerTemplate ?? {};
    const size: number = lwt.size ?? 1;
    const revision = templateHash(lwt);

    const leaderSpec = {
      replicas,
      serviceName: name,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { [lwsKeys.name]: name, [lwsKeys.workerIndex]: '0' } },
      template: withMetadata(
        lwt.leaderTemplate ?? lwt.workerTemplate,
        { [lwsKeys.workerIndex]: '0', [lwsKeys.name]: name, [lwsKeys.revision]: revision },
        { [lwsKeys.size]: String(size) },
      ),
    };
    let leaderSet = this.ctx.children.of(lws.metadata.uid, 'StatefulSet')[0];
    if (!leaderSet) {
      leaderSet = this.store.create(stsType, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: {
          name,
          namespace,
          labels: { ...lws.metadata.labels, [lwsKeys.name]: name, [lwsKeys.revision]: revision },
          annotations: { ...lws.metadata.annotations, [lwsKeys.replicas]: String(replicas) },
          ownerReferences: [ownerReference(lws)],
        },
        spec: leaderSpec,
      });
    } else {
      this.writeSpec(stsType, leaderSet, { ...leaderSet.spec, ...leaderSpec });
    }

    let readyGroups = 0;
    const leaders = this.ctx.children.of(leaderSet.metadata.uid, 'Pod').filter(isActive);
    for (const leader of leaders) {
      const group = leader.metadata.name!.slice(name.length + 1);
      const groupKey = sha1(`${namespace}/${leader.metadata.name}`);
      if (leader.metadata.labels?.[lwsKeys.groupKey] !== groupKey) {
        this.store.update(podType, {
          ...leader,
          metadata: {
            ...leader.metadata,
            labels: { ...leader.metadata.labels, [lwsKeys.groupIndex]: group, [lwsKeys.groupKey]: groupKey },
          },
        });
      }
      const groupLabels = {
        [lwsKeys.groupIndex]: group,
        [lwsKeys.name]: name,
        [lwsKeys.groupKey]: groupKey,
      };
      const workerSet =
        this.ctx.children.of(leader.metadata.uid, 'StatefulSet')[0] ??
        this.store.create(stsType, {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: {
            name: leader.metadata.name,
            namespace,
            labels: { ...lws.metadata.labels, ...groupLabels, [lwsKeys.revision]: revision },
            annotations: { ...lws.metadata.annotations },
            ownerReferences: [ownerReference(leader)],
          },
          spec: {
            replicas: size - 1,
            serviceName: name,
            podManagementPolicy: 'Parallel',
            ordinals: { start: 1 },
            selector: { matchLabels: groupLabels },
            template: withMetadata(
              lwt.workerTemplate,
              { ...groupLabels, [lwsKeys.revision]: revision },
              { [lwsKeys.size]: String(size), [lwsKeys.leaderName]: leader.metadata.name! },
            ),
          },
        });
      const workers = this.ctx.children.of(workerSet.metadata.uid, 'Pod').filter(isActive);
      for (const worker of workers) {
        const index = worker.metadata.name!.slice(leader.metadata.name!.length + 1);
        if (worker.metadata.labels?.[lwsKeys.workerIndex] === index) continue;
        this.store.update(podType, {
          ...worker,
          metadata: { ...worker.metadata, labels: { ...worker.metadata.labels, [lwsKeys.workerIndex]: index } },
        });
      }
      if (isReady(leader) && workers.filter(isReady).length >= size - 1) readyGroups++;
    }

    const available = readyGroups >= replicas && replicas > 0;
    // Available and Progressing exclude each other, as LWS sets them.
    const conditions = [
      { type: 'Available', reason: 'AllGroupsReady', message: 'All replicas are ready', holds: available },
      { type: 'Progressing', reason: 'GroupsProgressing', message: 'Replicas are progressing', holds: !available },
    ].reduce(
      (list, c) =>
        setCondition(
          list,
          { type: c.type, status: c.holds ? 'True' : 'False', reason: c.reason, message: c.message },
          now,
        ),
      lws.status?.conditions ?? [],
    );
    this.writeStatus(lws, {
      replicas: leaders.length,
      readyReplicas: readyGroups,
      updatedReplicas: leaders.length,
      hpaPodSelector: `${lwsKeys.name}=${name},${lwsKeys.workerIndex}=0`,
      conditions,
    });
  }
}
