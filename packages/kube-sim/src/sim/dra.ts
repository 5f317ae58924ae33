import { KubeObject, ObjectStore, ResourceType } from '../store/types';
import { nodeDevices } from './devices';
import { podRequests } from './placement';
import { addAmounts, ResourceAmounts } from './quantity';

/**
 * Dynamic Resource Allocation (resource.k8s.io/v1), as far as GPU workloads
 * need it: every GPU node publishes a ResourceSlice whose devices are its
 * whole GPUs and MIG partitions; a pod's ResourceClaimTemplates become
 * ResourceClaims allocated on the node the pod is bound to and deleted when
 * the pod ends. A claimed device is the same hardware the device plugin
 * advertises, so it is counted in the node's extended resource too and the
 * two paths never hand out one partition twice.
 */

export const draApiVersion = 'resource.k8s.io/v1';
/** The driver of kube-sim's GPUs (NVIDIA's DRA driver name). */
export const gpuDriver = 'gpu.nvidia.com';

interface SliceDevice {
  name: string;
  attributes: Record<string, { string?: string; int?: number }>;
}

/** The DeviceClass of a device: `gpu.nvidia.com` for whole GPUs, `mig-<profile>.nvidia.com` for partitions. */
function deviceClassOf(profile?: string) {
  return profile ? `mig-${profile}.nvidia.com` : gpuDriver;
}

/** The extended resource a slice device is also advertised as. */
function resourceOf(device: SliceDevice) {
  const profile = device.attributes.profile?.string;
  return profile ? `nvidia.com/mig-${profile}` : 'nvidia.com/gpu';
}

/** A node's DRA devices: whole GPUs and MIG partitions (time-sliced replicas stay with the device plugin). */
export function sliceDevices(node: KubeObject): SliceDevice[] {
  return nodeDevices(node)
    .filter(d => d.resource !== 'nvidia.com/gpu.shared')
    .map(d => ({
      name: d.migProfile ? `gpu-${d.gpu}-mig-${d.migInstanceId}` : `gpu-${d.gpu}`,
      attributes: {
        type: { string: d.migProfile ? 'mig' : 'gpu' },
        ...(d.migProfile && { profile: { string: d.migProfile } }),
        productName: { string: d.modelName },
        uuid: { string: d.uuid },
        index: { int: d.gpu },
      },
    }));
}

/** DeviceClasses for the device kinds the nodes have, and one ResourceSlice per GPU node. */
export function buildDraObjects(nodes: KubeObject[]): KubeObject[] {
  const classes = new Map<string, string>();
  const slices: KubeObject[] = [];
  for (const node of nodes) {
    const devices = sliceDevices(node);
    if (devices.length === 0) continue;
    for (const d of devices) {
      const profile = d.attributes.profile?.string;
      const test = profile
        ? `device.attributes["${gpuDriver}"].profile == "${profile}"`
        : `device.attributes["${gpuDriver}"].type == "gpu"`;
      classes.set(deviceClassOf(profile), `device.driver == "${gpuDriver}" && ${test}`);
    }
    const name = node.metadata.name!;
    slices.push({
      apiVersion: draApiVersion,
      kind: 'ResourceSlice',
      metadata: { name: `${name}-${gpuDriver}` },
      spec: { driver: gpuDriver, nodeName: name, pool: { name, generation: 1, resourceSliceCount: 1 }, devices },
    });
  }
  const deviceClasses = [...classes].map(([name, expression]) => ({
    apiVersion: draApiVersion,
    kind: 'DeviceClass',
    metadata: { name },
    spec: { selectors: [{ cel: { expression } }] },
  }));
  return [...deviceClasses, ...slices];
}

const driverTerm = /^device\.driver\s*==\s*["']([^"']*)["']$/;
const attributeTerm = /^device\.attributes\[["']([^"']+)["']\]\.(\w+)\s*==\s*["']([^"']*)["']$/;

/**
 * Whether a DeviceClass selects a device. kube-sim reads only CEL selectors
 * made of `device.driver == "…"` and `device.attributes["<driver>"].<name> == "…"`
 * joined by `&&`; any other expression selects nothing.
 */
function selects(deviceClass: KubeObject, driver: string, device: SliceDevice): boolean {
  return (deviceClass.spec?.selectors ?? []).every((s: { cel?: { expression?: string } }) =>
    (s.cel?.expression ?? '').split('&&').every(raw => {
      const term = raw.trim();
      const d = driverTerm.exec(term);
      if (d) return d[1] === driver;
      const a = attributeTerm.exec(term);
      return !!a && a[1] === driver && String(device.attributes[a[2]]?.string ?? device.attributes[a[2]]?.int) === a[3];
    }),
  );
}

interface ExactRequest {
  name: string;
  exactly?: { deviceClassName: string; count?: number; allocationMode?: string; adminAccess?: boolean };
}

/** The pod's claims from templates, the allocator of their devices, and their release when the pod ends. */
export class ResourceClaims {
  private readonly types: Record<'claim' | 'template' | 'deviceClass' | 'slice', ResourceType>;

  constructor(private readonly store: ObjectStore) {
    const t = (kind: string) => store.typeFor(draApiVersion, kind);
    this.types = {
      claim: t('ResourceClaim'),
      template: t('ResourceClaimTemplate'),
      deviceClass: t('DeviceClass'),
      slice: t('ResourceSlice'),
    };
  }

  private templated(pod: KubeObject): Array<{ claim: string; template: string }> {
    return (pod.spec?.resourceClaims ?? [])
      .filter((c: { resourceClaimTemplateName?: string }) => c.resourceClaimTemplateName)
      .map((c: { name: string; resourceClaimTemplateName: string }) => ({
        claim: c.name,
        template: c.resourceClaimTemplateName,
      }));
  }

  private claimName(pod: KubeObject, claim: string) {
    return `${pod.metadata.name}-${claim}`;
  }

  /** The claim specs of the pod: its ResourceClaims once made, else their templates. */
  private specs(pod: KubeObject): Array<{ claim: string; requests: ExactRequest[] } | { problem: string }> {
    const ns = pod.metadata.namespace!;
    return this.templated(pod).map(({ claim, template }) => {
      const made = this.store.get(this.types.claim, ns, this.claimName(pod, claim));
      const spec = made?.spec ?? this.store.get(this.types.template, ns, template)?.spec?.spec;
      if (!spec) return { problem: `resourceclaimtemplate.resource.k8s.io "${template}" not found` };
      return { claim, requests: spec.devices?.requests ?? [] };
    });
  }

  /** Devices of every slice the class selects, with their node. */
  private matching(deviceClassName: string): Array<{ node: string; device: SliceDevice }> | undefined {
    const deviceClass = this.store.get(this.types.deviceClass, undefined, deviceClassName);
    if (!deviceClass) return undefined;
    return this.store
      .list(this.types.slice)
      .flatMap(slice =>
        (slice.spec?.devices ?? [])
          .filter((d: SliceDevice) => selects(deviceClass, slice.spec.driver, d))
          .map((device: SliceDevice) => ({ node: slice.spec.nodeName as string, device })),
      );
  }

  /** The extended resources the pod's claims take, or why they cannot be allocated anywhere. */
  demand(pod: KubeObject): { requests: ResourceAmounts } | { problem: string } {
    const requests: ResourceAmounts = new Map();
    for (const spec of this.specs(pod)) {
      if ('problem' in spec) return spec;
      for (const req of spec.requests) {
        if (!req.exactly || req.exactly.adminAccess) continue;
        const found = this.matching(req.exactly.deviceClassName);
        if (!found) return { problem: `deviceclass.resource.k8s.io "${req.exactly.deviceClassName}" not found` };
        if (found.length === 0) return { problem: `no device of DeviceClass ${req.exactly.deviceClassName}` };
        const resource = resourceOf(found[0].device);
        requests.set(resource, (requests.get(resource) ?? 0) + (req.exactly.count ?? 1));
      }
    }
    return { requests };
  }

  /** The pod's container requests plus the extended resources its claims take (and why they cannot, if so). */
  requestsOf(pod: KubeObject): { requests: ResourceAmounts; problem?: string } {
    const requests = podRequests(pod);
    const demand = this.demand(pod);
    if ('problem' in demand) return { requests, problem: demand.problem };
    addAmounts(requests, demand.requests);
    return { requests };
  }

  /** Devices of the node held by the claims of other pods. */
  private taken(node: string): Set<string> {
    const out = new Set<string>();
    for (const claim of this.store.list(this.types.claim))
      for (const r of claim.status?.allocation?.devices?.results ?? []) if (r.pool === node) out.add(r.device);
    return out;
  }

  /**
   * Makes the pod's ResourceClaims from their templates, allocated on `node`
   * and reserved for the pod; returns the pod's `status.resourceClaimStatuses`.
   */
  allocate(pod: KubeObject, node: string): Array<{ name: string; resourceClaimName: string }> {
    const ns = pod.metadata.namespace!;
    const taken = this.taken(node);
    const statuses = [];
    for (const { claim, template } of this.templated(pod)) {
      const name = this.claimName(pod, claim);
      statuses.push({ name: claim, resourceClaimName: name });
      if (this.store.get(this.types.claim, ns, name)) continue;
      const spec = this.store.get(this.types.template, ns, template)?.spec?.spec ?? {};
      const results = [];
      for (const req of (spec.devices?.requests ?? []) as ExactRequest[]) {
        if (!req.exactly || req.exactly.adminAccess) continue;
        const free = (this.matching(req.exactly.deviceClassName) ?? []).filter(
          m => m.node === node && !taken.has(m.device.name),
        );
        for (const m of free.slice(0, req.exactly.count ?? 1)) {
          taken.add(m.device.name);
          results.push({ request: req.name, driver: gpuDriver, pool: node, device: m.device.name });
        }
      }
      const created = this.store.create(this.types.claim, {
        apiVersion: draApiVersion,
        kind: 'ResourceClaim',
        metadata: {
          name,
          namespace: ns,
          annotations: { 'resource.kubernetes.io/pod-claim-name': claim },
          ownerReferences: [
            { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: true },
          ],
        },
        spec,
      });
      this.store.updateStatus(this.types.claim, {
        ...created,
        status: {
          allocation: {
            devices: { results },
            nodeSelector: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
            },
          },
          reservedFor: [{ resource: 'pods', name: pod.metadata.name, uid: pod.metadata.uid }],
        },
      });
    }
    return statuses;
  }

  /** The pod ended: its generated claims are deleted, which frees their devices. */
  release(pod: KubeObject): void {
    const ns = pod.metadata.namespace!;
    for (const { claim } of this.templated(pod)) {
      const name = this.claimName(pod, claim);
      if (this.store.get(this.types.claim, ns, name)) this.store.delete(this.types.claim, ns, name);
    }
  }
}
