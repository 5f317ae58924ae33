import { WorkloadStreamSpec } from '../fleet/types';
import { KubeObject } from '../store/types';
import { profileAnnotation } from '../telemetry/activity';
import { simAnnotations } from './kubelet';

/** What the generator decided about one workload before building it. */
export interface WorkloadDraw {
  name: string;
  namespace: string;
  /** Pods of the workload (gang size, replicas, executors). */
  pods: number;
  gpusPerPod: number;
  durationSeconds?: number;
  fail: boolean;
  idle: boolean;
  model?: string;
  suspend: boolean;
  streamId: string;
}

/** Label that ties a generated workload to the stream that made it. */
export const streamLabel = 'kube-sim.io/generator-stream';

const workloadTypes = {
  training: 'training-job',
  inference: 'inference-service',
  agent: 'ai-agent',
  spark: 'data-pipeline',
  notebook: 'notebook',
} as const;

const profiles = {
  training: 'training',
  inference: 'inference',
  agent: 'agent',
  spark: 'batch',
  notebook: 'notebook',
} as const;

/** The claim (and its template) through which a stream with a deviceClass claims each pod's GPUs. */
const gpuClaim = 'gpus';

/** The ResourceClaimTemplate a stream's pods claim their GPUs by, one per stream and namespace. */
export function gpuClaimTemplate(stream: WorkloadStreamSpec, draw: WorkloadDraw): KubeObject | undefined {
  if (!stream.deviceClass || draw.gpusPerPod === 0) return undefined;
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: {
      name: `generator-${draw.streamId}-gpus`,
      namespace: draw.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kube-sim-generator', [streamLabel]: draw.streamId },
    },
    spec: {
      spec: {
        devices: {
          requests: [{ name: gpuClaim, exactly: { deviceClassName: stream.deviceClass, count: draw.gpusPerPod } }],
        },
      },
    },
  };
}

function podResources(stream: WorkloadStreamSpec, gpus: number) {
  const resource = stream.gpuResource ?? 'nvidia.com/gpu';
  if (gpus === 0) return { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '8Gi' } };
  const whole = resource === 'nvidia.com/gpu' && !stream.deviceClass;
  const requests = { cpu: String(whole ? 8 * gpus : 2 * gpus), memory: `${whole ? 40 * gpus : 8 * gpus}Gi` };
  // GPUs claimed through DRA come from the claim, not from an extended resource.
  if (stream.deviceClass) return { requests, limits: { memory: requests.memory }, claims: [{ name: gpuClaim }] };
  return {
    requests: { ...requests, [resource]: String(gpus) },
    limits: { [resource]: String(gpus), memory: requests.memory },
  };
}

function podSpec(
  stream: WorkloadStreamSpec,
  draw: WorkloadDraw,
  container: { name: string; image: string; args?: string[] },
) {
  const gpu = draw.gpusPerPod > 0;
  return {
    restartPolicy: stream.workload === 'training' ? 'Never' : 'Always',
    ...(gpu && stream.gpuProduct ? { nodeSelector: { 'nvidia.com/gpu.product': stream.gpuProduct } } : {}),
    ...(gpu ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
    ...(gpu && stream.deviceClass
      ? {
          resourceClaims: [
            { name: gpuClaim, resourceClaimTemplateName: gpuClaimTemplate(stream, draw)!.metadata.name },
          ],
        }
      : {}),
    containers: [{ ...container, resources: podResources(stream, draw.gpusPerPod) }],
  };
}

/** Builds the Kubernetes object a generator stream submits. */
export function buildWorkload(stream: WorkloadStreamSpec, draw: WorkloadDraw): KubeObject {
  const labels: Record<string, string> = {
    'ai-platform.io/team': stream.team,
    'ai-platform.io/workload-type': workloadTypes[stream.workload],
    'app.kubernetes.io/managed-by': 'kube-sim-generator',
    [streamLabel]: draw.streamId,
    ...(stream.queue ? { 'kueue.x-k8s.io/queue-name': stream.queue } : {}),
  };
  const annotations: Record<string, string> = {
    [profileAnnotation]: profiles[stream.workload],
    ...(draw.durationSeconds !== undefined
      ? { [simAnnotations.duration]: String(Math.round(draw.durationSeconds)) }
      : {}),
    ...(draw.fail ? { [simAnnotations.fail]: 'true' } : {}),
    ...(draw.idle ? { [simAnnotations.idle]: 'true' } : {}),
    ...(draw.model ? { [simAnnotations.model]: draw.model } : {}),
  };
  const metadata = { name: draw.name, namespace: draw.namespace, labels, annotations };
  const template = (name: string, image: string, args?: string[]) => ({
    metadata: { labels: { ...labels }, annotations: { ...annotations } },
    spec: podSpec(stream, draw, { name, image, args }),
  });
  const trainer = template('trainer', 'nvcr.io/nvidia/pytorch:24.10-py3', ['torchrun', 'train.py']);
  const vllmArgs = draw.model ? [`--model=${draw.model}`, `--tensor-parallel-size=${draw.gpusPerPod || 1}`] : undefined;

  switch (stream.kind) {
    case 'Job':
      return {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata,
        spec: {
          suspend: draw.suspend,
          parallelism: draw.pods,
          completions: draw.pods,
          completionMode: 'Indexed',
          backoffLimit: 0,
          template: trainer,
        },
      };
    case 'JobSet':
      return {
        apiVersion: 'jobset.x-k8s.io/v1alpha2',
        kind: 'JobSet',
        metadata,
        spec: {
          suspend: draw.suspend,
          replicatedJobs: [
            {
              name: 'trainer',
              replicas: draw.pods,
              template: { spec: { parallelism: 1, completions: 1, backoffLimit: 0, template: trainer } },
            },
          ],
        },
      };
    case 'PyTorchJob':
      return {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata,
        spec: {
          runPolicy: { suspend: draw.suspend, cleanPodPolicy: 'Running' },
          pytorchReplicaSpecs: {
            Master: {
              replicas: 1,
              restartPolicy: 'OnFailure',
              template: template('pytorch', 'nvcr.io/nvidia/pytorch:24.10-py3'),
            },
            ...(draw.pods > 1
              ? {
                  Worker: {
                    replicas: draw.pods - 1,
                    restartPolicy: 'OnFailure',
                    template: template('pytorch', 'nvcr.io/nvidia/pytorch:24.10-py3'),
                  },
                }
              : {}),
          },
        },
      };
    case 'TrainJob':
      return {
        apiVersion: 'trainer.kubeflow.org/v1alpha1',
        kind: 'TrainJob',
        metadata,
        spec: {
          suspend: draw.suspend,
          runtimeRef: { name: 'torch-distributed', kind: 'ClusterTrainingRuntime', apiGroup: 'trainer.kubeflow.org' },
          trainer: {
            numNodes: draw.pods,
            image: 'nvcr.io/nvidia/pytorch:24.10-py3',
            resourcesPerNode: podResources(stream, draw.gpusPerPod),
          },
          podSpecOverrides: [
            {
              targetJobs: [{ name: 'node' }],
              nodeSelector: trainer.spec.nodeSelector,
              tolerations: trainer.spec.tolerations,
            },
          ],
          annotations,
        },
      };
    case 'RayJob':
      return {
        apiVersion: 'ray.io/v1',
        kind: 'RayJob',
        metadata,
        spec: {
          suspend: draw.suspend,
          entrypoint: 'python tune.py',
          shutdownAfterJobFinishes: true,
          rayClusterSpec: {
            headGroupSpec: {
              template: {
                metadata: { labels, annotations },
                spec: {
                  containers: [
                    {
                      name: 'ray-head',
                      image: 'rayproject/ray:2.40.0',
                      resources: { requests: { cpu: '4', memory: '16Gi' } },
                    },
                  ],
                },
              },
            },
            workerGroupSpecs: [
              {
                groupName: 'gpu',
                replicas: draw.pods,
                minReplicas: draw.pods,
                maxReplicas: draw.pods,
                template: template('ray-worker', 'rayproject/ray:2.40.0-gpu'),
              },
            ],
          },
        },
      };
    case 'InferenceService':
      return {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata,
        spec: {
          predictor: {
            minReplicas: draw.pods,
            maxReplicas: draw.pods,
            ...(trainer.spec.nodeSelector ? { nodeSelector: trainer.spec.nodeSelector } : {}),
            ...(trainer.spec.tolerations ? { tolerations: trainer.spec.tolerations } : {}),
            model: {
              modelFormat: { name: 'huggingface' },
              storageUri: `hf://${draw.model ?? 'meta-llama/Llama-3.1-8B-Instruct'}`,
              resources: podResources(stream, draw.gpusPerPod),
            },
          },
        },
      };
    case 'LeaderWorkerSet':
      return {
        apiVersion: 'leaderworkerset.x-k8s.io/v1',
        kind: 'LeaderWorkerSet',
        metadata,
        spec: {
          replicas: 1,
          leaderWorkerTemplate: {
            size: draw.pods,
            workerTemplate: template('vllm', 'vllm/vllm-openai:v0.6.4', vllmArgs),
          },
        },
      };
    case 'Deployment': {
      const t = template(
        stream.workload === 'agent' ? 'agent' : 'vllm',
        stream.workload === 'agent' ? 'ghcr.io/ai-platform/agent-runtime:1.4' : 'vllm/vllm-openai:v0.6.4',
        vllmArgs,
      );
      t.metadata.labels.app = draw.name;
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: { replicas: draw.pods, selector: { matchLabels: { app: draw.name } }, template: t },
      };
    }
    case 'StatefulSet': {
      const t = template('jupyter', 'quay.io/jupyter/pytorch-notebook:cuda12-2024-11-18');
      t.metadata.labels.app = draw.name;
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata,
        spec: { replicas: 1, serviceName: draw.name, selector: { matchLabels: { app: draw.name } }, template: t },
      };
    }
    default:
      return {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata,
        spec: {
          type: 'Python',
          mode: 'cluster',
          image: 'apache/spark:3.5.3-python3',
          mainApplicationFile: 'local:///opt/jobs/etl.py',
          sparkVersion: '3.5.3',
          driver: { cores: 1, memory: '2g', labels, annotations, serviceAccount: 'spark' },
          executor: { instances: draw.pods, cores: 2, memory: '4g', labels, annotations },
        },
      };
  }
}
