import {
  type WorkloadObject,
  at,
  defineAdapter,
  fieldSuspension,
  type PodSlot,
} from '@ai-platform/backstage-plugin-ai-platform-node';

interface SparkPod {
  cores?: number;
  coreRequest?: string;
  memory?: string;
  memoryOverhead?: string;
  instances?: number;
  gpu?: { name: string; quantity: number };
  nodeSelector?: Record<string, string>;
  tolerations?: PodSlot['spec']['tolerations'];
}

/** Spark writes "4g" / "512m" for GiB / MiB. */
function sparkMemory(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d+)([kmgt])b?$/i.exec(value.trim());
  return m ? `${m[1]}${m[2].toUpperCase()}i` : value;
}

function sparkSlot(name: string, pod: SparkPod | undefined, count: number): PodSlot {
  if (!pod) throw new Error(`spec.${name} is missing`);
  const requests: Record<string, unknown> = { cpu: pod.coreRequest ?? String(pod.cores ?? 1) };
  const memory = sparkMemory(pod.memory);
  if (memory) requests.memory = memory;
  if (pod.gpu) requests[pod.gpu.name] = String(pod.gpu.quantity);
  return { name, count, spec: {}, requests, target: pod };
}

/** sparkoperator.k8s.io/v1beta2 SparkApplication: the driver and its executors. */
export const sparkApplicationAdapter = defineAdapter({
  apiVersion: 'sparkoperator.k8s.io/v1beta2',
  kind: 'SparkApplication',
  plural: 'sparkapplications',
  entityType: 'data-pipeline',
  slots: (obj: WorkloadObject) => [
    sparkSlot('driver', at<SparkPod>(obj, 'spec', 'driver'), 1),
    sparkSlot('executor', at<SparkPod>(obj, 'spec', 'executor'), at<number>(obj, 'spec', 'executor', 'instances') ?? 1),
  ],
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => {
    const state = at<string>(obj, 'status', 'applicationState', 'state');
    if (state === 'COMPLETED') return 'Succeeded';
    return state === 'FAILED' || state === 'SUBMISSION_FAILED' ? 'Failed' : undefined;
  },
  podsReady: obj => at<string>(obj, 'status', 'applicationState', 'state') === 'RUNNING',
});
