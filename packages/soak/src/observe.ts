import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';

/** Workload kinds the platform manages (a child of one of these is part of its workload). */
export const managedKinds = [
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet' },
  { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob' },
  { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob' },
  { apiVersion: 'ray.io/v1', kind: 'RayJob' },
  { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet' },
  { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication' },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' },
];
/** Kinds listed only to trace pods to their owners. */
const intermediateKinds = [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'ray.io/v1', kind: 'RayCluster' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
];
const managedKindNames = new Set(managedKinds.map(k => k.kind));
/** Owners whose children are part of a workload although they are not workloads themselves. */
const ownerKinds = new Set([...managedKindNames, 'Pod', 'ReplicaSet', 'RayCluster']);

export const admissionAnnotation = 'ai-platform.io/admission';
/** What the backend writes into an object it suspends or admits. */
export const backendAnnotations = [
  admissionAnnotation,
  'ai-platform.io/suspended-replicas',
  'ai-platform.io/original-pod-sets',
];

export interface Admission {
  clusterQueue: string;
  podSets: Array<{ name: string; count: number; flavors: Record<string, string> }>;
  admittedAt: number;
}

export interface ObjectView {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  owner?: { kind: string; uid: string; name: string };
  raw: KubernetesObject & { spec?: any; status?: any };
}

export interface PodView extends ObjectView {
  phase: string;
  node?: string;
  /** Requests summed over containers (init containers: the larger of their max and the sum), and GPUs claimed through DRA. */
  requests: Record<string, number>;
}

export interface NodeView {
  name: string;
  labels: Record<string, string>;
  allocatable: Record<string, number>;
}

export interface EventView {
  name: string;
  uid: string;
  reason: string;
  source: string;
  count: number;
}

/** One cluster as the Kubernetes API shows it at one moment. */
export interface ClusterSnapshot {
  cluster: string;
  objects: ObjectView[];
  pods: PodView[];
  nodes: NodeView[];
  namespaces: Map<string, string | undefined>;
  events: EventView[];
}

/** Kubernetes quantities as numbers (cpu in cores, memory in bytes, counts as counts). */
export function quantity(value: unknown): number {
  const text = String(value ?? '0');
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  const units: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return n * (units[m[2]] ?? 1);
}

function view(obj: KubernetesObject & { spec?: any; status?: any }): ObjectView {
  const owner = obj.metadata?.ownerReferences?.find(o => o.controller);
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    uid: obj.metadata?.uid ?? '',
    labels: obj.metadata?.labels ?? {},
    annotations: obj.metadata?.annotations ?? {},
    owner: owner && { kind: owner.kind, uid: owner.uid, name: owner.name },
    raw: obj,
  };
}

function podRequests(spec: any): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of spec?.containers ?? []) {
    for (const [r, v] of Object.entries({ ...c.resources?.limits, ...c.resources?.requests })) {
      sum[r] = (sum[r] ?? 0) + quantity(v);
    }
  }
  for (const c of spec?.initContainers ?? []) {
    for (const [r, v] of Object.entries({ ...c.resources?.limits, ...c.resources?.requests })) {
      sum[r] = Math.max(sum[r] ?? 0, quantity(v));
    }
  }
  return sum;
}

/**
 * Per pod uid, the GPUs its allocated ResourceClaims hold, as the extended
 * resource the same device is (a MIG partition's `profile` attribute in its
 * ResourceSlice: nvidia.com/mig-<profile>; else nvidia.com/gpu): what
 * kubectl shows a pod holds through DRA.
 */
function claimedByPod(claims: any[], slices: any[]): Map<string, Record<string, number>> {
  const profiles = new Map<string, string | undefined>();
  for (const slice of slices)
    for (const d of slice.spec?.devices ?? [])
      profiles.set(`${slice.spec?.driver}/${slice.spec?.pool?.name}/${d.name}`, d.attributes?.profile?.string);
  const out = new Map<string, Record<string, number>>();
  for (const claim of claims) {
    for (const pod of claim.status?.reservedFor ?? []) {
      const held = out.get(pod.uid) ?? {};
      for (const r of claim.status?.allocation?.devices?.results ?? []) {
        if (!profiles.has(`${r.driver}/${r.pool}/${r.device}`)) continue;
        const profile = profiles.get(`${r.driver}/${r.pool}/${r.device}`);
        const resource = profile ? `nvidia.com/mig-${profile}` : 'nvidia.com/gpu';
        held[resource] = (held[resource] ?? 0) + 1;
      }
      out.set(pod.uid, held);
    }
  }
  return out;
}

function withClaimed(requests: Record<string, number>, claimed: Record<string, number> = {}) {
  for (const [r, n] of Object.entries(claimed)) requests[r] = (requests[r] ?? 0) + n;
  return requests;
}

/** Reads clusters straight from kube-sim's API servers (never through the backend's proxies). */
export class ClusterObserver {
  private readonly apis = new Map<string, KubernetesObjectApi>();

  constructor(kubeconfigPath: string) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    for (const context of kc.getContexts()) {
      const one = new KubeConfig();
      one.loadFromFile(kubeconfigPath);
      one.setCurrentContext(context.name);
      this.apis.set(context.name, KubernetesObjectApi.makeApiClient(one));
    }
  }

  get clusters() {
    return [...this.apis.keys()];
  }

  private async list(api: KubernetesObjectApi, apiVersion: string, kind: string): Promise<any[]> {
    try {
      return (await api.list(apiVersion, kind)).items;
    } catch {
      return []; // a kind this cluster does not serve
    }
  }

  /** holderIdentity of the backend's admission Lease on each cluster. */
  async leaseHolders(): Promise<string[]> {
    const holders: string[] = [];
    for (const api of this.apis.values()) {
      const leases = await this.list(api, 'coordination.k8s.io/v1', 'Lease');
      for (const l of leases)
        if (l.metadata?.name === 'ai-platform-admission' && l.spec?.holderIdentity) holders.push(l.spec.holderIdentity);
    }
    return holders;
  }

  async snapshot(cluster: string): Promise<ClusterSnapshot> {
    const api = this.apis.get(cluster)!;
    const [objects, pods, nodes, namespaces, events, claims, slices] = await Promise.all([
      Promise.all([...managedKinds, ...intermediateKinds].map(k => this.list(api, k.apiVersion, k.kind))).then(l =>
        l.flat().map(view),
      ),
      this.list(api, 'v1', 'Pod'),
      this.list(api, 'v1', 'Node'),
      this.list(api, 'v1', 'Namespace'),
      this.list(api, 'v1', 'Event'),
      this.list(api, 'resource.k8s.io/v1', 'ResourceClaim'),
      this.list(api, 'resource.k8s.io/v1', 'ResourceSlice'),
    ]);
    const claimed = claimedByPod(claims, slices);
    return {
      cluster,
      objects,
      pods: pods.map(p => ({
        ...view(p),
        phase: p.status?.phase ?? 'Pending',
        node: p.spec?.nodeName,
        requests: withClaimed(podRequests(p.spec), claimed.get(p.metadata?.uid)),
      })),
      nodes: nodes.map(n => ({
        name: n.metadata.name,
        labels: n.metadata.labels ?? {},
        allocatable: Object.fromEntries(Object.entries(n.status?.allocatable ?? {}).map(([r, v]) => [r, quantity(v)])),
      })),
      namespaces: new Map(namespaces.map(ns => [ns.metadata.name, ns.metadata.labels?.['ai-platform.io/team']])),
      events: events.map(e => ({
        name: e.metadata.name,
        uid: e.involvedObject?.uid ?? '',
        reason: e.reason ?? '',
        source: e.source?.component ?? e.reportingComponent ?? '',
        count: e.count ?? 1,
      })),
    };
  }
}

/** The top-level workload of each object and pod, by following controller owner references. */
export function topLevelIndex(snapshot: ClusterSnapshot) {
  const byUid = new Map<string, ObjectView>([...snapshot.objects, ...snapshot.pods].map(o => [o.uid, o]));
  const top = (o: ObjectView): ObjectView => {
    let cur = o;
    for (let i = 0; i < 10; i++) {
      const owner = cur.owner && byUid.get(cur.owner.uid);
      if (!owner || !ownerKinds.has(owner.kind)) return cur;
      cur = owner;
    }
    return cur;
  };
  return {
    /** The top-level managed object a pod belongs to; undefined for pods of nothing the platform manages. */
    ofPod(pod: PodView): ObjectView | undefined {
      const owner = pod.owner && byUid.get(pod.owner.uid);
      if (!owner) return undefined;
      const t = top(owner);
      return managedKindNames.has(t.kind) ? t : undefined;
    },
    /** True when the object's controller owner is a managed kind. */
    isChild(o: ObjectView): boolean {
      return o.owner !== undefined && ownerKinds.has(o.owner.kind) && o.owner.kind !== 'ReplicaSet';
    },
  };
}

export function readAdmission(o: ObjectView): Admission | undefined {
  const raw = o.annotations[admissionAnnotation];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Admission;
  } catch {
    return undefined;
  }
}

/** Backstage REST calls with the soak's static token. */
export class BackendApi {
  constructor(private baseUrl: string, private readonly token: string) {}

  /** Talks to another replica from now on (the first one was killed). */
  useBaseUrl(url: string) {
    this.baseUrl = url;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
