import type { DeviceClassMapping } from '@ai-platform/scheduler';
import { migProfileShare, type HeldDevices } from './intervals';

/** The DRA drivers whose devices are GPUs even where no deviceClassMapping names their DeviceClass. */
const gpuDrivers = new Set(['gpu.nvidia.com']);

/** The parts of a resource.k8s.io/v1 ResourceClaim the cost ledger reads. */
export interface ResourceClaimLike {
  metadata?: {
    uid?: string;
    namespace?: string;
    name?: string;
    ownerReferences?: Array<{ kind: string; uid?: string; controller?: boolean }>;
  };
  spec?: {
    devices?: {
      requests?: Array<{
        name: string;
        exactly?: { deviceClassName?: string };
        firstAvailable?: Array<{ name: string; deviceClassName?: string }>;
      }>;
    };
  };
  status?: {
    allocation?: { devices?: { results?: Array<{ request: string; driver: string; pool: string; device: string }> } };
    reservedFor?: Array<{ resource?: string; name?: string; uid?: string }>;
  };
}

/** The parts of a resource.k8s.io/v1 ResourceSlice the cost ledger reads. */
export interface ResourceSliceLike {
  spec?: {
    driver?: string;
    pool?: { name?: string };
    devices?: Array<{ name: string; attributes?: Record<string, { string?: string }> }>;
  };
}

/** GPU devices one pod holds through its ResourceClaims, per resource. */
export interface ClaimedDevices extends HeldDevices {
  resource: string;
}

/** The DeviceClass a request (or a `firstAvailable` subrequest, `<request>/<sub>`) of the claim asked for. */
function deviceClassOf(claim: ResourceClaimLike, request: string): string | undefined {
  const [name, sub] = request.split('/');
  const req = claim.spec?.devices?.requests?.find(r => r.name === name);
  return sub === undefined
    ? req?.exactly?.deviceClassName
    : req?.firstAvailable?.find(s => s.name === sub)?.deviceClassName;
}

/**
 * Per pod uid, the GPU devices its allocated ResourceClaims hold: each
 * allocated device whose DeviceClass a `deviceClassMappings` entry names
 * counts as that entry's resource; an unmapped device of a GPU driver
 * counts as its DeviceClass. A MIG partition (a device whose ResourceSlice
 * gives it a `profile` such as `1g.10gb`) is its share of a whole GPU. A
 * claim shared by several pods splits its devices evenly between them; one
 * reserved for none counts for the pod that owns it (its template's pod),
 * whose interval ends when that pod does.
 */
export function claimedDevicesByPod(
  claims: readonly ResourceClaimLike[],
  slices: readonly ResourceSliceLike[],
  mappings: readonly DeviceClassMapping[],
): Map<string, ClaimedDevices[]> {
  const profiles = new Map<string, string | undefined>();
  for (const slice of slices)
    for (const d of slice.spec?.devices ?? [])
      profiles.set(`${slice.spec?.driver}/${slice.spec?.pool?.name}/${d.name}`, d.attributes?.profile?.string);
  const out = new Map<string, ClaimedDevices[]>();
  for (const claim of claims) {
    const reserved = (claim.status?.reservedFor ?? []).filter(r => (r.resource ?? 'pods') === 'pods' && r.uid);
    // Kubernetes takes an ended pod off its claim before deleting the claim its template made: that pod still counts.
    const owner = claim.metadata?.ownerReferences?.find(o => o.kind === 'Pod' && o.controller && o.uid);
    const pods = reserved.length > 0 || !owner ? reserved : [owner];
    if (pods.length === 0) continue;
    const held = new Map<string, ClaimedDevices>();
    for (const result of claim.status?.allocation?.devices?.results ?? []) {
      const deviceClass = deviceClassOf(claim, result.request);
      const mapped = mappings.find(m => deviceClass && m.deviceClassNames.includes(deviceClass))?.name;
      const resource = mapped ?? (gpuDrivers.has(result.driver) ? deviceClass : undefined);
      if (!resource) continue;
      const profile = profiles.get(`${result.driver}/${result.pool}/${result.device}`);
      const share = (profile && migProfileShare(profile)) || { num: 1, den: 1 };
      const key = `${resource}|${share.num}/${share.den}`;
      const entry = held.get(key) ?? { resource, count: 0, share: { num: share.num, den: share.den * pods.length } };
      entry.count++;
      held.set(key, entry);
    }
    for (const pod of pods) out.set(pod.uid!, [...(out.get(pod.uid!) ?? []), ...held.values()]);
  }
  return out;
}
