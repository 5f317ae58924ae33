import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { resourceForDeviceClass } from '../config/deviceClaims';
import type { DeviceClassMapping } from '../config/types';
import type { Workload } from './types';

/**
 * DRA devices as quota, as Kueue's workload controller does before queueing:
 * each pod set's devices are added to its requests as the resource their
 * DeviceClass is mapped to (one unit per device), so quota, flavor assignment
 * and preemption count them like any other resource.
 */
export function withDeviceQuota(w: Workload, mappings: readonly DeviceClassMapping[]): Workload {
  if (!w.podSets.some(ps => ps.devices && Object.keys(ps.devices).length > 0)) return w;
  return {
    ...w,
    podSets: w.podSets.map(ps => {
      const requests = { ...ps.requests };
      for (const [deviceClass, count] of Object.entries(ps.devices ?? {})) {
        const resource = resourceForDeviceClass(mappings, deviceClass);
        if (resource !== undefined) requests[resource] = (requests[resource] ?? 0) + count * 1000;
      }
      return { ...ps, requests };
    }),
  };
}

/** Why a workload cannot be queued: a DeviceClass it claims that no mapping names (Kueue: Misconfigured). */
export function unmappedDeviceClass(w: Workload, mappings: readonly DeviceClassMapping[]): Reason | undefined {
  for (const ps of w.podSets) {
    for (const deviceClass of Object.keys(ps.devices ?? {})) {
      if (resourceForDeviceClass(mappings, deviceClass) !== undefined) continue;
      return {
        code: 'NoMatchingFlavor',
        kueueReason: 'Misconfigured',
        message:
          `DeviceClass ${deviceClass} is not mapped in DRA configuration for podset ${ps.name}: ` +
          `add it to the deviceClassNames of a resources.deviceClassMappings entry in the engine configuration, ` +
          `and give that resource quota in the ClusterQueue`,
      };
    }
  }
  return undefined;
}
