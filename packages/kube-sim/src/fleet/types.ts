/** A distribution of durations in simulated seconds. */
export type DurationDistribution =
  | { distribution: 'fixed'; seconds: number }
  | { distribution: 'uniform'; minSeconds: number; maxSeconds: number }
  | { distribution: 'exponential'; meanSeconds: number }
  | { distribution: 'lognormal'; medianSeconds: number; sigma: number };

/** A Kubernetes taint as written in a node pool. */
export interface TaintSpec {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** GPUs of every node of a pool, labelled the way GPU Feature Discovery labels them. */
export interface GpuSpec {
  /** `nvidia.com/gpu.product`, e.g. NVIDIA-H100-80GB-HBM3. */
  product: string;
  /** Physical GPUs per node. */
  count: number;
  /** Framebuffer per GPU in MiB (`nvidia.com/gpu.memory`). */
  memoryMiB: number;
  /** Board power limit in watts; drives DCGM_FI_DEV_POWER_USAGE. */
  powerWatts?: number;
  /** Nodes per NVLink domain (`ai-platform.io/nvlink-domain`); omitted for PCIe-only GPUs. */
  nvlinkDomainSize?: number;
  /** MIG partitioning of every GPU (mixed strategy): profile → instances per GPU. */
  mig?: { profiles: Record<string, number> };
  /** Time-slicing: each GPU is advertised as `replicas` of `nvidia.com/gpu.shared`. */
  timeSlicing?: { replicas: number };
}

/** A group of identical nodes. */
export interface NodePoolSpec {
  name: string;
  count: number;
  instanceType?: string;
  cpu: string;
  memory: string;
  /** Max pods per node (default 110). */
  pods?: number;
  /** Zones the nodes are spread over, round robin. */
  zones: string[];
  /** Nodes per rack (`cloud.provider.com/topology-rack`); default 8. */
  nodesPerRack?: number;
  gpu?: GpuSpec;
  labels?: Record<string, string>;
  taints?: TaintSpec[];
}

/** One simulated cluster. */
export interface ClusterSpec {
  name: string;
  region?: string;
  nodePools: NodePoolSpec[];
}

/** A namespace created in every (or the listed) cluster. */
export interface NamespaceSpec {
  name: string;
  /** Written as label `ai-platform.io/team`. */
  team?: string;
  labels?: Record<string, string>;
  /** Clusters that get this namespace; default all. */
  clusters?: string[];
}

/** What a generator stream submits. */
export type WorkloadClass = 'training' | 'inference' | 'agent' | 'spark' | 'notebook';

/** Kinds the generator can create. */
export type GeneratedKind =
  | 'Job'
  | 'JobSet'
  | 'PyTorchJob'
  | 'TrainJob'
  | 'RayJob'
  | 'InferenceService'
  | 'LeaderWorkerSet'
  | 'Deployment'
  | 'StatefulSet'
  | 'SparkApplication';

/** One arrival process: a team submitting one kind of workload. */
export interface WorkloadStreamSpec {
  team: string;
  /** Namespace to submit into; default `team-<team>`. */
  namespace?: string;
  workload: WorkloadClass;
  kind: GeneratedKind;
  /** Mean arrivals per simulated hour (Poisson). */
  ratePerHour: number;
  /** Workloads created at start-up. */
  initial?: number;
  /** Upper bound on live workloads of this stream. */
  maxActive?: number;
  /** Total GPUs per workload, uniformly drawn from [min, max] in steps of gpusPerPod. */
  gpus?: { min: number; max: number };
  gpusPerPod?: number;
  /** Extended resource each GPU is requested as; default nvidia.com/gpu. */
  gpuResource?: string;
  /**
   * Claim each pod's GPUs through DRA instead: a ResourceClaimTemplate per
   * stream asks for gpusPerPod devices of this DeviceClass (such as
   * `mig-1g.10gb.nvidia.com`), and the pods claim it rather than request an
   * extended resource.
   */
  deviceClass?: string;
  /** Written as nodeSelector `nvidia.com/gpu.product`. */
  gpuProduct?: string;
  /** Written as label `kueue.x-k8s.io/queue-name`. */
  queue?: string;
  /** Run time of batch workloads. */
  duration?: DurationDistribution;
  /** Life time of services (inference, agents, notebooks) before the generator deletes them. */
  lifetime?: DurationDistribution;
  /** Fraction of workloads that fail. */
  failureRate?: number;
  /** Fraction of workloads that hold GPUs without using them. */
  idleFraction?: number;
  /** Model served by inference workloads (vLLM `model_name`). */
  models?: string[];
  /** Clusters this stream submits to; default all. */
  clusters?: string[];
}

/** The workload generator. */
export interface GeneratorSpec {
  enabled?: boolean;
  seed?: number;
  /** Submit batch workloads with suspend: true (for an admission controller such as Kueue to release). */
  submitSuspended?: boolean;
  streams: WorkloadStreamSpec[];
}

/** Defaults of the simulated kubelet. */
export interface SimulationSpec {
  /** Fraction of pods without an explicit outcome that fail. */
  failureRate?: number;
  /** Run time of pods without `kube-sim.io/duration-seconds`. */
  defaultDuration?: DurationDistribution;
  /** Simulated seconds from binding to Running (image pull, start-up). */
  startupSeconds?: number;
}

/** A fleet file: clusters, namespaces and the workload generator. */
export interface FleetSpec {
  apiVersion: 'kube-sim.io/v1alpha1';
  kind: 'Fleet';
  name?: string;
  simulation?: SimulationSpec;
  clusters: ClusterSpec[];
  namespaces?: NamespaceSpec[];
  generator?: GeneratorSpec;
}
