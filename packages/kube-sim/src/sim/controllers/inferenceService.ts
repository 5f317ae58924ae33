import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { simAnnotations } from '../kubelet';
import { Controller } from './controller';
import { ownerReference, setCondition } from './pods';

/** The model an InferenceService serves, for vLLM's `model_name`. */
export function servedModelName(isvc: KubeObject): string {
  const model = isvc.spec?.predictor?.model ?? {};
  const fromArgs = (model.args as string[] | undefined)?.find(
    a => a.startsWith('--model_name=') || a.startsWith('--served-model-name='),
  );
  if (fromArgs) return fromArgs.split('=')[1];
  return (
    isvc.metadata.annotations?.[simAnnotations.model] ??
    (typeof model.storageUri === 'string' ? model.storageUri.replace(/^[a-z0-9]+:\/\//, '') : undefined) ??
    isvc.metadata.name!
  );
}

/**
 * serving.kserve.io/v1beta1 InferenceService in raw deployment mode: a
 * Deployment `<name>-predictor` with the predictor's resources; Ready once a
 * predictor pod is.
 */
export class InferenceServiceController extends Controller {
  readonly apiVersion = 'serving.kserve.io/v1beta1';
  readonly kind = 'InferenceService';

  protected reconcile(isvc: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const deploymentType = this.store.typeFor('apps/v1', 'Deployment');
    const name = isvc.metadata.name!;
    const namespace = isvc.metadata.namespace!;
    const predictor = isvc.spec?.predictor ?? {};
    const model = predictor.model ?? {};
    const modelName = servedModelName(isvc);
    // KServe gives the Deployment and its pods the InferenceService's labels and annotations, then the predictor's.
    const labels = {
      ...isvc.metadata.labels,
      ...predictor.labels,
      'serving.kserve.io/inferenceservice': name,
      component: 'predictor',
      app: `isvc.${name}-predictor`,
    };
    const annotations: Record<string, string> = Object.fromEntries(
      Object.entries<string>({ ...isvc.metadata.annotations, ...predictor.annotations }).filter(
        ([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration',
      ),
    );
    const container = {
      name: 'kserve-container',
      image: model.image ?? 'vllm/vllm-openai:v0.6.4',
      args: model.args ?? [`--model=${modelName}`, `--served-model-name=${modelName}`, '--port=8080'],
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      resources: model.resources ?? {},
    };
    const spec = {
      replicas: predictor.minReplicas ?? 1,
      selector: { matchLabels: { app: labels.app } },
      template: {
        metadata: { labels, annotations: { ...annotations, [simAnnotations.model]: modelName } },
        spec: {
          ...(predictor.nodeSelector ? { nodeSelector: predictor.nodeSelector } : {}),
          ...(predictor.tolerations ? { tolerations: predictor.tolerations } : {}),
          ...(predictor.affinity ? { affinity: predictor.affinity } : {}),
          ...(predictor.serviceAccountName ? { serviceAccountName: predictor.serviceAccountName } : {}),
          containers: [container, ...(predictor.containers ?? [])],
        },
      },
    };
    const deploymentName = `${name}-predictor`;
    let deployment = this.store.get(deploymentType, namespace, deploymentName);
    if (!deployment) {
      deployment = this.store.create(deploymentType, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: deploymentName, namespace, labels, annotations, ownerReferences: [ownerReference(isvc)] },
        spec,
      });
    } else {
      this.writeSpec(deploymentType, deployment, spec);
    }
    const ready = (deployment.status?.availableReplicas ?? 0) >= 1;
    const url = `http://${name}.${namespace}.svc.cluster.local`;
    let conditions = isvc.status?.conditions ?? [];
    const readyCondition = ready
      ? { status: 'True' as const }
      : {
          status: 'False' as const,
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        };
    for (const type of ['PredictorReady', 'IngressReady', 'Ready']) {
      conditions = setCondition(
        conditions,
        type === 'IngressReady' ? { type, status: 'True' } : { type, ...readyCondition },
        now,
      );
    }
    this.writeStatus(isvc, {
      observedGeneration: isvc.metadata.generation,
      url,
      address: { url: `http://${deploymentName}.${namespace}.svc.cluster.local` },
      components: {
        predictor: {
          url: `http://${deploymentName}.${namespace}.svc.cluster.local`,
          latestCreatedRevision: deploymentName,
        },
      },
      modelStatus: {
        states: { activeModelState: ready ? 'Loaded' : 'Pending', targetModelState: 'Loaded' },
        transitionStatus: ready ? 'UpToDate' : 'InProgress',
      },
      conditions,
    });
  }
}
