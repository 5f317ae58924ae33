import { createHash } from 'node:crypto';
import { KubeObject } from '../store/types';
import { parseQuantity, ResourceAmounts } from './quantity';

/** One device the device plugin hands out: a whole GPU, a MIG instance or a time-slice replica. */
export interface GpuDevice {
  /** Extended resource the device is advertised as. */
  resource: string;
  /** Index of the physical GPU (dcgm `gpu` label). */
  gpu: number;
  uuid: string;
  modelName: string;
  memoryMiB: number;
  powerWatts: number;
  migProfile?: string;
  migInstanceId?: number;
  /** Time-slice replica index for shared GPUs. */
  replica?: number;
}

/** Annotation on nodes with the board power of their GPUs. */
export const gpuPowerAnnotation = 'kube-sim.io/gpu-power-watts';

function gpuUuid(nodeName: string, gpu: number): string {
  const h = createHash('sha1').update(`${nodeName}/${gpu}`).digest('hex');
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const migSlices = (profile: string) => Number(/^(\d)g/.exec(profile)?.[1] ?? 1);

/** The devices a node's labels and allocatable resources describe, in device-plugin order. */
export function nodeDevices(node: KubeObject): GpuDevice[] {
  const labels = node.metadata.labels ?? {};
  const allocatable: Record<string, string> = node.status?.allocatable ?? {};
  const name = node.metadata.name!;
  const modelName = (labels['nvidia.com/gpu.product'] ?? 'NVIDIA GPU').replace(/-/g, ' ');
  const memoryMiB = Number(labels['nvidia.com/gpu.memory'] ?? 0);
  const powerWatts = Number(node.metadata.annotations?.[gpuPowerAnnotation] ?? 300);
  const base = { modelName, memoryMiB, powerWatts };
  const devices: GpuDevice[] = [];
  const physical = Number(labels['nvidia.com/gpu.count'] ?? 0);

  const whole = parseQuantity(allocatable['nvidia.com/gpu']);
  for (let gpu = 0; gpu < whole; gpu++) {
    devices.push({ ...base, resource: 'nvidia.com/gpu', gpu, uuid: gpuUuid(name, gpu) });
  }

  const migProfiles = Object.keys(allocatable)
    .filter(k => k.startsWith('nvidia.com/mig-'))
    .map(k => k.slice('nvidia.com/mig-'.length))
    .sort((a, b) => migSlices(b) - migSlices(a));
  const migGpus = Math.max(1, physical - whole);
  const nextInstanceId = new Map<number, number>();
  for (const profile of migProfiles) {
    const total = parseQuantity(allocatable[`nvidia.com/mig-${profile}`]);
    const perGpu = Math.max(1, Math.ceil(total / migGpus));
    for (let i = 0; i < total; i++) {
      const gpu = whole + Math.floor(i / perGpu);
      const instance = nextInstanceId.get(gpu) ?? 1;
      nextInstanceId.set(gpu, instance + 1);
      const memory = Number(/\.(\d+)gb$/.exec(profile)?.[1] ?? 0) * 1024;
      devices.push({
        ...base,
        memoryMiB: memory || memoryMiB,
        resource: `nvidia.com/mig-${profile}`,
        gpu,
        uuid: `MIG-${gpuUuid(name, gpu).slice(4)}-${instance}`,
        migProfile: profile,
        migInstanceId: instance,
      });
    }
  }

  const shared = parseQuantity(allocatable['nvidia.com/gpu.shared']);
  const replicas = Number(labels['nvidia.com/gpu.replicas'] ?? 1) || 1;
  for (let i = 0; i < shared; i++) {
    const gpu = Math.floor(i / replicas);
    devices.push({ ...base, resource: 'nvidia.com/gpu.shared', gpu, uuid: gpuUuid(name, gpu), replica: i % replicas });
  }
  return devices;
}

/** Physical GPUs of a node (one entry per `gpu` index), for metrics of unallocated GPUs. */
export function physicalGpus(devices: GpuDevice[]): GpuDevice[] {
  const seen = new Map<number, GpuDevice>();
  for (const d of devices) if (!seen.has(d.gpu)) seen.set(d.gpu, d);
  return [...seen.values()];
}

/**
 * One pod's hold on devices of one resource, from allocation to release in
 * simulated milliseconds: kube-sim's own ground truth of GPU time, for tests
 * and benchmarks to check the product's accounting against.
 */
export interface DeviceHolding {
  /** namespace/name of the pod. */
  pod: string;
  node: string;
  resource: string;
  count: number;
  from: number;
  /** Absent while the pod still holds the devices. */
  to?: number;
}

/** Holdings kept for the ground truth; the oldest released ones go first beyond this. */
const maxHoldings = 500_000;

/** Which pod holds which device, the device plugin's bookkeeping. */
export class DeviceAllocator {
  private readonly inventory = new Map<string, GpuDevice[]>();
  private readonly holder = new Map<string, Map<string, string>>(); // node -> device key -> pod key
  private readonly byPod = new Map<string, { node: string; devices: GpuDevice[]; holdings: DeviceHolding[] }>();
  private readonly record: DeviceHolding[] = [];

  /** `now` stamps the ground-truth record of holdings; without it none is kept. */
  constructor(private readonly now?: () => number) {}

  /** Every device holding so far, open ones without `to`. */
  holdings(): readonly DeviceHolding[] {
    return this.record;
  }

  private key(d: GpuDevice): string {
    return `${d.resource}/${d.uuid}/${d.replica ?? 0}`;
  }

  devicesOf(node: KubeObject): GpuDevice[] {
    const name = node.metadata.name!;
    let devices = this.inventory.get(name);
    if (!devices) {
      devices = nodeDevices(node);
      this.inventory.set(name, devices);
    }
    return devices;
  }

  /** Hands the pod the devices it requests on `node`; returns what it got (fewer when the node is short). */
  allocate(node: KubeObject, podKey: string, requests: ResourceAmounts): GpuDevice[] {
    const existing = this.byPod.get(podKey);
    if (existing) return existing.devices;
    const name = node.metadata.name!;
    const held = this.holder.get(name) ?? new Map<string, string>();
    this.holder.set(name, held);
    const got: GpuDevice[] = [];
    for (const [resource, amount] of requests) {
      if (!resource.startsWith('nvidia.com/') || amount <= 0) continue;
      const free = this.devicesOf(node).filter(d => d.resource === resource && !held.has(this.key(d)));
      // Time-slices go to the least shared GPU first, as the device plugin spreads replicas.
      if (resource === 'nvidia.com/gpu.shared')
        free.sort((a, b) => (a.replica ?? 0) - (b.replica ?? 0) || a.gpu - b.gpu);
      for (const d of free.slice(0, amount)) {
        held.set(this.key(d), podKey);
        got.push(d);
      }
    }
    const holdings: DeviceHolding[] = [];
    if (this.now) {
      const from = this.now();
      const counts = new Map<string, number>();
      for (const d of got) counts.set(d.resource, (counts.get(d.resource) ?? 0) + 1);
      for (const [resource, count] of counts) holdings.push({ pod: podKey, node: name, resource, count, from });
      this.record.push(...holdings);
      if (this.record.length > maxHoldings) this.record.splice(0, this.record.length - maxHoldings);
    }
    this.byPod.set(podKey, { node: name, devices: got, holdings });
    return got;
  }

  release(podKey: string): void {
    const entry = this.byPod.get(podKey);
    if (!entry) return;
    if (this.now) for (const h of entry.holdings) h.to = this.now();
    const held = this.holder.get(entry.node);
    for (const d of entry.devices) held?.delete(this.key(d));
    this.byPod.delete(podKey);
  }

  /** Devices of the pod, empty when it holds none. */
  ofPod(podKey: string): GpuDevice[] {
    return this.byPod.get(podKey)?.devices ?? [];
  }

  /** Pod holding each allocated device of a node. */
  holdersOn(nodeName: string): Map<string, string> {
    return this.holder.get(nodeName) ?? new Map();
  }

  deviceKey(d: GpuDevice): string {
    return this.key(d);
  }
}
