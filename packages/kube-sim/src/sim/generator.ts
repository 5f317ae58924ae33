import { GeneratorSpec, WorkloadStreamSpec } from '../fleet/types';
import { KubeObject, ObjectStore, ResourceType } from '../store/types';
import { SimClock, SimTimer } from './clock';
import { randomSuffix } from './controllers/pods';
import { seededRandom } from '@ai-platform/backstage-plugin-ai-platform-common';
import { nextArrivalSeconds, sampleDuration } from './random';
import { buildWorkload, gpuClaimTemplate, streamLabel, WorkloadDraw } from './workloads';

const services = new Set(['inference', 'agent', 'notebook']);
/** Finished batch workloads are removed after this long, as ttlSecondsAfterFinished would. */
const finishedTtlMs = 6 * 3600_000;

/** True when a workload reached a terminal state. */
export function isFinished(o: KubeObject): boolean {
  const conditions: Array<{ type: string; status: string }> = o.status?.conditions ?? [];
  if (conditions.some(c => ['Complete', 'Completed', 'Failed', 'Succeeded'].includes(c.type) && c.status === 'True'))
    return true;
  const state = o.status?.applicationState?.state ?? o.status?.jobDeploymentStatus;
  return ['COMPLETED', 'FAILED', 'Complete', 'Failed'].includes(state);
}

const shortModel = (model: string) =>
  model
    .split('/')
    .pop()!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 30)
    .replace(/-$/, '');

// At most 8 characters: with the 5-character suffix a name fits in 2 lines of Backstage's stock catalog table at
// 1440 px (eval-sweep-vp494 took 3; plugins/ai-platform/e2e-tests/layout.test.ts).
const trainingNames = ['pretrain', 'finetune', 'rlhf', 'sweep', 'distill', 'sft', 'dpo'];

/**
 * Submits workloads to one cluster as the fleet's streams describe: Poisson
 * arrivals in simulated time, sizes, run times, failures and idle GPUs drawn
 * per workload, services deleted after their life time.
 */
export class WorkloadGenerator {
  private readonly timers = new Set<SimTimer>();
  private readonly random: () => number;
  private readonly streams: Array<{ id: string; spec: WorkloadStreamSpec }>;
  private stopped = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly cluster: string,
    private readonly spec: GeneratorSpec,
  ) {
    let seed = spec.seed ?? Date.now();
    for (const ch of cluster) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
    this.random = seededRandom(seed);
    this.streams = spec.streams
      .map((s, i) => ({ id: `${i}`, spec: s }))
      .filter(s => !s.spec.clusters || s.spec.clusters.includes(cluster));
  }

  start(): void {
    for (const stream of this.streams) {
      const existing = this.store.list(this.typeOf(stream.spec), { labelSelector: `${streamLabel}=${stream.id}` });
      const lifetime = stream.spec.lifetime;
      if (existing.length > 0) {
        // Restored from a state file: services get a new life time, and no second initial batch.
        if (services.has(stream.spec.workload) && lifetime) {
          for (const o of existing)
            this.after(sampleDuration(lifetime, this.random) * 1000, () => this.remove(this.typeOf(stream.spec), o));
        }
        this.scheduleNext(stream);
        continue;
      }
      for (let i = 0; i < (stream.spec.initial ?? 0); i++) this.submit(stream);
      this.scheduleNext(stream);
    }
    this.every(600_000, () => this.collectFinished());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private after(ms: number, action: () => void): void {
    if (this.stopped || !Number.isFinite(ms)) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) action();
    }, ms);
    this.timers.add(timer);
  }

  private every(ms: number, action: () => void): void {
    this.timers.add(this.clock.setInterval(action, ms));
  }

  private scheduleNext(stream: { id: string; spec: WorkloadStreamSpec }): void {
    this.after(nextArrivalSeconds(stream.spec.ratePerHour, this.random) * 1000, () => {
      this.submit(stream);
      this.scheduleNext(stream);
    });
  }

  private typeOf(spec: WorkloadStreamSpec): ResourceType {
    const apiVersions: Record<string, string> = {
      Job: 'batch/v1',
      JobSet: 'jobset.x-k8s.io/v1alpha2',
      PyTorchJob: 'kubeflow.org/v1',
      TrainJob: 'trainer.kubeflow.org/v1alpha1',
      RayJob: 'ray.io/v1',
      InferenceService: 'serving.kserve.io/v1beta1',
      LeaderWorkerSet: 'leaderworkerset.x-k8s.io/v1',
      Deployment: 'apps/v1',
      StatefulSet: 'apps/v1',
      SparkApplication: 'sparkoperator.k8s.io/v1beta2',
    };
    return this.store.typeFor(apiVersions[spec.kind], spec.kind);
  }

  private live(stream: { id: string; spec: WorkloadStreamSpec }): KubeObject[] {
    return this.store
      .list(this.typeOf(stream.spec), { labelSelector: `${streamLabel}=${stream.id}` })
      .filter(o => !isFinished(o));
  }

  /** Draws and creates one workload of the stream; returns it, or undefined at maxActive. */
  submit(stream: { id: string; spec: WorkloadStreamSpec }): KubeObject | undefined {
    const s = stream.spec;
    if (s.maxActive !== undefined && this.live(stream).length >= s.maxActive) return undefined;
    const r = this.random;
    const gpusPerPod = s.gpus ? s.gpusPerPod ?? 1 : 0;
    let pods = 1;
    if (s.gpus && gpusPerPod > 0) {
      const steps = Math.floor((s.gpus.max - s.gpus.min) / gpusPerPod);
      const total = s.gpus.min + gpusPerPod * Math.floor(r() * (steps + 1));
      pods = Math.max(1, Math.round(total / gpusPerPod));
    } else if (s.workload === 'spark') {
      pods = 2 + Math.floor(r() * 7);
    }
    const model = s.models ? s.models[Math.floor(r() * s.models.length)] : undefined;
    let base = { spark: 'etl', notebook: 'nb', agent: 'agent', inference: 'serve', training: 'train' }[s.workload];
    if (s.workload === 'training') base = trainingNames[Math.floor(r() * trainingNames.length)];
    else if (model) base = shortModel(model);
    const service = services.has(s.workload);
    const draw: WorkloadDraw = {
      name: `${base}-${randomSuffix(r)}`,
      namespace: s.namespace ?? `team-${s.team}`,
      pods,
      gpusPerPod,
      durationSeconds: !service && s.duration ? sampleDuration(s.duration, r) : undefined,
      fail: !service && r() < (s.failureRate ?? 0),
      idle: r() < (s.idleFraction ?? 0),
      model,
      suspend: Boolean(this.spec.submitSuspended) && s.workload === 'training',
      streamId: stream.id,
    };
    const type = this.typeOf(s);
    let created: KubeObject;
    try {
      const template = gpuClaimTemplate(s, draw);
      const templateType = template && this.store.typeFor(template.apiVersion, template.kind);
      if (template && !this.store.get(templateType!, template.metadata.namespace, template.metadata.name!))
        this.store.create(templateType!, template);
      created = this.store.create(type, buildWorkload(s, draw));
    } catch (e) {
      // eslint-disable-next-line no-console
      console.error(
        `kube-sim generator (${this.cluster}): could not create ${s.kind} ${draw.namespace}/${draw.name}: ${
          (e as Error).message
        }`,
      );
      return undefined;
    }
    if (service && s.lifetime) {
      this.after(sampleDuration(s.lifetime, r) * 1000, () => this.remove(type, created));
    }
    return created;
  }

  private remove(type: ResourceType, o: KubeObject): void {
    const current = this.store.get(type, o.metadata.namespace, o.metadata.name!);
    if (current?.metadata.uid === o.metadata.uid) this.store.delete(type, o.metadata.namespace, o.metadata.name!);
  }

  private collectFinished(): void {
    const now = this.clock.now();
    for (const stream of this.streams) {
      if (services.has(stream.spec.workload)) continue;
      const type = this.typeOf(stream.spec);
      for (const o of this.store.list(type, { labelSelector: `${streamLabel}=${stream.id}` })) {
        if (!isFinished(o)) continue;
        const lastTransition = (o.status?.conditions ?? [])
          .map((c: { lastTransitionTime?: string }) => c.lastTransitionTime ?? '')
          .sort()
          .pop();
        const finishedAt = Date.parse(
          o.status?.completionTime ?? o.status?.endTime ?? o.status?.terminationTime ?? lastTransition ?? '',
        );
        if (!Number.isFinite(finishedAt) || now - finishedAt > finishedTtlMs) this.remove(type, o);
      }
    }
  }
}
