import { KubeObject, ObjectStore } from '../store/types';
import { SimClock } from '../sim/clock';
import { DeviceAllocator, GpuDevice } from '../sim/devices';
import { activityProfile, engineActivity, memoryShare } from './activity';
import { MetricFamily, Sample } from './exposition';

/** dcgm-exporter's fields kube-sim serves. */
export const dcgmMetricNames = {
  gpuUtil: 'DCGM_FI_DEV_GPU_UTIL',
  engineActive: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  fbUsed: 'DCGM_FI_DEV_FB_USED',
  fbFree: 'DCGM_FI_DEV_FB_FREE',
  power: 'DCGM_FI_DEV_POWER_USAGE',
} as const;

interface DeviceReading {
  labels: Record<string, string>;
  activity: number;
  fbUsedMiB: number;
  fbFreeMiB: number;
  powerW: number;
}

const driverVersion = '550.90.07';

function deviceLabels(node: KubeObject, d: GpuDevice): Record<string, string> {
  return {
    gpu: String(d.gpu),
    UUID: d.uuid,
    pci_bus_id: `00000000:${(0x18 + d.gpu * 0x10).toString(16).toUpperCase().padStart(2, '0')}:00.0`,
    device: `nvidia${d.gpu}`,
    modelName: d.modelName,
    ...(d.migProfile ? { GPU_I_PROFILE: d.migProfile, GPU_I_ID: String(d.migInstanceId) } : {}),
    Hostname: node.metadata.name!,
    DCGM_FI_DRIVER_VERSION: driverVersion,
  };
}

/**
 * Readings of every GPU device on every node, the way dcgm-exporter with
 * pod attribution reports them: `namespace`/`pod`/`container` only on devices
 * a running pod holds.
 */
export function dcgmFamilies(store: ObjectStore, devices: DeviceAllocator, clock: SimClock): MetricFamily[] {
  const now = clock.now();
  const nodeType = store.typeFor('v1', 'Node');
  const podType = store.typeFor('v1', 'Pod');
  const readings: DeviceReading[] = [];
  const podCache = new Map<string, KubeObject | undefined>();
  const podOf = (podKey: string) => {
    if (!podCache.has(podKey)) {
      const [ns, name] = podKey.split('/');
      podCache.set(podKey, store.get(podType, ns, name));
    }
    return podCache.get(podKey);
  };

  for (const node of store.list(nodeType)) {
    const all = devices.devicesOf(node);
    if (all.length === 0) continue;
    const holders = devices.holdersOn(node.metadata.name!);
    // Time-sliced pods share one physical GPU: its engine load is what they use together.
    const sharedLoad = new Map<number, number>();
    const perDevice = all.map(d => {
      const podKey = holders.get(devices.deviceKey(d));
      const pod = podKey ? podOf(podKey) : undefined;
      const running = pod?.status?.phase === 'Running' ? pod : undefined;
      let activity = 0;
      let memory = 0;
      if (running) {
        const profile = activityProfile(running);
        const seed = `${running.metadata.uid}/${d.uuid}`;
        const since = now - (Date.parse(running.status.startTime) || now);
        activity = engineActivity(profile, seed, now, since);
        memory = memoryShare(profile, seed);
        if (d.replica !== undefined) {
          activity /= Number(node.metadata.labels?.['nvidia.com/gpu.replicas'] ?? 1) / 2;
          memory /= Number(node.metadata.labels?.['nvidia.com/gpu.replicas'] ?? 1);
        }
      }
      if (d.replica !== undefined) sharedLoad.set(d.gpu, Math.min(1, (sharedLoad.get(d.gpu) ?? 0) + activity));
      return { d, running, activity, memory };
    });
    const sharedEmitted = new Set<number>();
    for (const { d, running, activity, memory } of perDevice) {
      if (d.replica !== undefined) {
        // One series per physical GPU when nobody holds a slice of it, else one per holder.
        if (!running) {
          const anyHolder = perDevice.some(o => o.d.gpu === d.gpu && o.running);
          if (anyHolder || sharedEmitted.has(d.gpu)) continue;
          sharedEmitted.add(d.gpu);
        }
      }
      const load = d.replica !== undefined ? sharedLoad.get(d.gpu) ?? 0 : activity;
      const fbUsedMiB = Math.round(d.memoryMiB * memory + (running ? 0 : 1));
      const idleW = d.powerWatts * 0.09;
      const container = running?.spec?.containers?.[0]?.name;
      readings.push({
        labels: {
          ...deviceLabels(node, d),
          ...(running
            ? { container: container ?? '', namespace: running.metadata.namespace!, pod: running.metadata.name! }
            : {}),
        },
        activity: load,
        fbUsedMiB,
        fbFreeMiB: Math.max(0, d.memoryMiB - fbUsedMiB),
        powerW: idleW + (d.powerWatts - idleW) * load * (d.migProfile ? Number(d.migProfile[0]) / 7 : 1),
      });
    }
  }

  const family = (name: string, help: string, value: (r: DeviceReading) => number): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    samples: readings.map((r): Sample => ({ labels: r.labels, value: value(r) })),
  });
  return [
    family(dcgmMetricNames.gpuUtil, 'GPU utilization (in %).', r => Math.round(r.activity * 100)),
    family(dcgmMetricNames.engineActive, 'Ratio of time the graphics engine is active.', r =>
      Number(r.activity.toFixed(6)),
    ),
    family(dcgmMetricNames.fbUsed, 'Framebuffer memory used (in MiB).', r => r.fbUsedMiB),
    family(dcgmMetricNames.fbFree, 'Framebuffer memory free (in MiB).', r => r.fbFreeMiB),
    family(dcgmMetricNames.power, 'Power draw (in W).', r => Number(r.powerW.toFixed(3))),
  ];
}
