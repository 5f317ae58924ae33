import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { GangMember, reconcileGang } from './gang';
import { ownerReference, podFromTemplate } from './pods';

interface SparkPodSpec {
  cores?: number;
  coreLimit?: string;
  memory?: string;
  instances?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  serviceAccount?: string;
  gpu?: { name: string; quantity: number };
}

const executorStates: Record<string, string> = { Running: 'RUNNING', Succeeded: 'COMPLETED', Failed: 'FAILED' };

/** sparkoperator.k8s.io/v1beta2 SparkApplication: a driver pod and `executor.instances` executor pods. */
export class SparkApplicationController extends Controller {
  readonly apiVersion = 'sparkoperator.k8s.io/v1beta2';
  readonly kind = 'SparkApplication';

  private podTemplate(app: KubeObject, role: 'driver' | 'executor', spec: SparkPodSpec) {
    const memory = spec.memory ?? '1g';
    // Spark writes "4g"; Kubernetes wants "4Gi". The operator adds 10% overhead.
    const mebibytes = Math.ceil(Number(/^(\d+)/.exec(memory)?.[1] ?? 1) * (/g$/i.test(memory) ? 1024 : 1) * 1.1);
    const requests: Record<string, string> = { cpu: String(spec.cores ?? 1), memory: `${mebibytes}Mi` };
    if (spec.gpu) requests[spec.gpu.name] = String(spec.gpu.quantity);
    // The operator gives the pods the application's labels, except Kueue's.
    const appLabels = Object.fromEntries(
      Object.entries(app.metadata.labels ?? {}).filter(([k]) => !k.startsWith('kueue.x-k8s.io/')),
    );
    return {
      metadata: { labels: { ...appLabels, ...spec.labels }, annotations: spec.annotations },
      spec: {
        restartPolicy: 'Never',
        serviceAccountName: spec.serviceAccount,
        nodeSelector: { ...app.spec?.nodeSelector, ...spec.nodeSelector },
        tolerations: spec.tolerations,
        containers: [
          {
            name: role === 'driver' ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor',
            image: app.spec?.image ?? 'apache/spark:3.5.3',
            resources: { requests, limits: { ...requests, ...(spec.coreLimit ? { cpu: spec.coreLimit } : {}) } },
          },
        ],
      },
    };
  }

  protected reconcile(app: KubeObject): void {
    const now = isoTime(this.ctx.clock);
    const name = app.metadata.name!;
    const driver: SparkPodSpec = app.spec?.driver ?? {};
    const executor: SparkPodSpec = app.spec?.executor ?? {};
    const podType = this.store.typeFor('v1', 'Pod');
    const labels = (role: string) => ({
      'spark-role': role,
      'sparkoperator.k8s.io/app-name': name,
      'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
      'spark-app-selector': `spark-${app.metadata.uid?.replace(/-/g, '').slice(0, 32)}`,
    });
    const members: GangMember[] = [
      {
        name: `${name}-driver`,
        decides: true,
        build: () =>
          podFromTemplate(app, this.podTemplate(app, 'driver', driver), {
            name: `${name}-driver`,
            labels: labels('driver'),
          }),
      },
      ...Array.from({ length: executor.instances ?? 1 }, (_, i) => ({
        name: `${name}-exec-${i + 1}`,
        decides: false,
        build: () => {
          const pod = podFromTemplate(app, this.podTemplate(app, 'executor', executor), {
            name: `${name}-exec-${i + 1}`,
            labels: { ...labels('executor'), 'spark-exec-id': String(i + 1) },
            keepRunning: true,
          });
          // Spark's driver owns its executors; the operator adds the application as a non-controller owner.
          const driverPod = this.store.get(podType, app.metadata.namespace, `${name}-driver`);
          const appOwner = { apiVersion: app.apiVersion, kind: app.kind, name, uid: app.metadata.uid! };
          pod.metadata.ownerReferences = [...(driverPod ? [ownerReference(driverPod)] : []), appOwner];
          return pod;
        },
      })),
    ];
    const state = app.status?.applicationState?.state;
    const finished = state === 'COMPLETED' || state === 'FAILED';
    const { phase, pods } = reconcileGang(this.ctx, app, members, { suspended: Boolean(app.spec?.suspend), finished });
    if (finished) return;
    const driverPod = pods.find(p => p.metadata.name === `${name}-driver`);
    const status: Record<string, unknown> = {
      ...app.status,
      sparkApplicationId: `spark-${app.metadata.uid?.replace(/-/g, '').slice(0, 32)}`,
      submissionID: app.metadata.uid,
      submissionAttempts: 1,
      lastSubmissionAttemptTime: app.status?.lastSubmissionAttemptTime ?? now,
      driverInfo: { podName: `${name}-driver`, webUIPort: 4040, webUIServiceName: `${name}-ui-svc` },
      executorState: Object.fromEntries(
        pods
          .filter(p => p.metadata.labels?.['spark-role'] === 'executor')
          .map(p => [p.metadata.name, executorStates[p.status?.phase as string] ?? 'PENDING']),
      ),
    };
    const stateByPhase = {
      Suspended: 'SUSPENDED',
      Pending: 'SUBMITTED',
      Running: 'RUNNING',
      Succeeded: 'COMPLETED',
      Failed: 'FAILED',
    } as const;
    status.applicationState = {
      state: driverPod?.status?.phase === 'Running' && phase === 'Pending' ? 'RUNNING' : stateByPhase[phase],
      ...(phase === 'Failed' ? { errorMessage: 'driver container failed with ExitCode: 1, Reason: Error' } : {}),
    };
    if (phase === 'Succeeded' || phase === 'Failed') status.terminationTime = now;
    this.writeStatus(app, status);
  }
}
