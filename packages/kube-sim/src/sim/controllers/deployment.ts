import { createHash } from 'node:crypto';
import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { ownerReference, setCondition, simAnnotationsOf } from './pods';

/** pod-template-hash as the Deployment controller writes it: ten characters from the template. */
export function templateHash(template: unknown): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha1')
    .update(JSON.stringify(template ?? {}))
    .digest();
  return [...digest.subarray(0, 10)].map(b => alphabet[b % alphabet.length]).join('');
}

/**
 * apps/v1 Deployment: a ReplicaSet `<deployment>-<template hash>` runs the
 * pods (named `<deployment>-<template hash>-<suffix>`). A changed template
 * gets a new ReplicaSet and the old one is deleted with its pods.
 */
export class DeploymentController extends Controller {
  readonly apiVersion = 'apps/v1';
  readonly kind = 'Deployment';

  protected reconcile(deployment: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const hash = templateHash(deployment.spec?.template);
    const rsType = this.store.typeFor('apps/v1', 'ReplicaSet');
    const replicas: number = deployment.spec?.replicas ?? 1;
    const rsName = `${deployment.metadata.name}-${hash}`;
    const owned = this.ctx.children.of(deployment.metadata.uid, 'ReplicaSet');
    for (const old of owned.filter(rs => rs.metadata.name !== rsName)) {
      this.store.delete(rsType, old.metadata.namespace, old.metadata.name!);
    }
    const template = {
      ...deployment.spec?.template,
      metadata: {
        ...deployment.spec?.template?.metadata,
        labels: { ...deployment.spec?.template?.metadata?.labels, 'pod-template-hash': hash },
      },
    };
    let rs = owned.find(r => r.metadata.name === rsName);
    if (!rs) {
      rs = this.store.create(rsType, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: deployment.metadata.namespace,
          labels: { ...deployment.spec?.template?.metadata?.labels, 'pod-template-hash': hash },
          annotations: {
            ...simAnnotationsOf(deployment),
            'deployment.kubernetes.io/revision': String(deployment.metadata.generation ?? 1),
            'deployment.kubernetes.io/desired-replicas': String(replicas),
          },
          ownerReferences: [ownerReference(deployment)],
        },
        spec: {
          replicas,
          selector: { matchLabels: { ...deployment.spec?.selector?.matchLabels, 'pod-template-hash': hash } },
          template,
        },
      });
    } else if (rs.spec?.replicas !== replicas) {
      this.writeSpec(rsType, rs, { ...rs.spec, replicas });
    }
    const ready: number = rs.status?.readyReplicas ?? 0;
    const available: number = rs.status?.availableReplicas ?? 0;
    const current: number = rs.status?.replicas ?? 0;
    let conditions = setCondition(
      deployment.status?.conditions,
      available >= Math.min(1, replicas)
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
    );
    conditions = setCondition(
      conditions,
      available >= replicas
        ? {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${rsName}" has successfully progressed.`,
          }
        : {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${rsName}" is progressing.`,
          },
      now,
    );
    this.writeStatus(deployment, {
      observedGeneration: deployment.metadata.generation,
      replicas: current,
      updatedReplicas: current,
      readyReplicas: ready,
      availableReplicas: available,
      ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
      conditions,
    });
  }
}
