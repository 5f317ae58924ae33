/**
 * Kueue's own test tables, ported as data (src/engine/kueue/*.yaml): a
 * compact notation for the objects Kueue's test builders make
 * (MakeClusterQueue(...).ResourceGroup(MakeFlavorQuotas(...).Resource(...)),
 * MakeWorkload(...).Request(...).ReserveQuota(...)), read here into the
 * real Kueue objects and run through the real parser and engine.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseEngineOptions, parseQueueObjects } from '../config/parse';
import { Engine, usageOf } from '../engine/Engine';
import { Candidate, findTargets } from '../engine/preemption';
import { buildQuotaTree, fr, QuotaNode } from '../engine/quota';
import { assignFlavors, Granular, Mode } from '../engine/assign';
import type { Admission, Decision, PodSet, Workload } from '../engine/types';
import type { EngineOptions, QueueConfig } from '../config/types';
import { parseQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import { topology, type KueueObject } from './builders';

const v1beta2 = 'kueue.x-k8s.io/v1beta2';

/** flavor -> resource -> nominal, or [nominal, borrowingLimit, lendingLimit] with "" or null for unset. */
type GroupDoc = Record<string, Record<string, number | string | Array<number | string | null>>>;

interface QueueDoc {
  name: string;
  cohort?: string;
  resourceGroups?: GroupDoc[];
  [field: string]: unknown;
}

interface WorkloadDoc {
  name: string;
  namespace?: string;
  queue?: string;
  priority?: number;
  /** seconds, for queue order; default 0 */
  creation?: number;
  /** Requests of the single pod set "main" (count 1). */
  requests?: Record<string, number | string>;
  podSets?: PodSetDoc[];
  /** Seeded as admitted: the ClusterQueue and, per pod set (or for "main"), the flavor of each resource. */
  admission?: { clusterQueue: string; flavors?: Record<string, string>; podSets?: Record<string, PodSetAdmissionDoc> };
  /** seconds; default 0 */
  admittedAt?: number;
}

/** A pod set as upstream's MakePodSet builds it. */
interface PodSetDoc {
  name?: string;
  count?: number;
  minCount?: number;
  requests?: Record<string, number | string>;
  nodeSelector?: PodSet['nodeSelector'];
  /** requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms */
  nodeAffinity?: PodSet['nodeAffinity'];
  tolerations?: PodSet['tolerations'];
  topology?: PodSet['topology'];
}

interface PodSetAdmissionDoc {
  count?: number;
  flavors: Record<string, string>;
}

interface WantDoc {
  /** Newly admitted in this run: key -> admission (same notation as a seeded admission). */
  admitted?: Record<
    string,
    { clusterQueue: string; flavors?: Record<string, string>; podSets?: Record<string, PodSetAdmissionDoc> }
  >;
  preempted?: string[];
  /** Still pending after the run. */
  pending?: string[];
}

interface LocalQueueDoc {
  clusterQueue: string;
  weight?: number | string;
  /** status.fairSharing.admissionFairSharingStatus.consumedResources */
  usage?: Record<string, number | string>;
}

export interface KueueCase {
  name: string;
  /** Objects besides the file's shared ones. */
  flavors?: Array<string | KueueObject>;
  clusterQueues?: QueueDoc[];
  cohorts?: QueueDoc[];
  /** namespace/name -> ClusterQueue, or with spec.fairSharing.weight and the persisted usage (status.fairSharing). */
  localQueues?: Record<string, string | LocalQueueDoc>;
  namespaces?: Record<string, Record<string, string>>;
  priorityClasses?: Record<string, number>;
  /** Topology name -> its levels' node labels. */
  topologies?: Record<string, string[]>;
  /** Replaces the file's shared objects instead of adding to them. */
  ownObjectsOnly?: boolean;
  config?: KueueObject;
  admitted?: WorkloadDoc[];
  pending?: WorkloadDoc[];
  /** Scheduling cycles to run; default 1, as Kueue's unit tests run one. */
  cycles?: number;
  /**
   * Upstream's given flavor assignment (resource -> flavor) of the single
   * pending workload: the preemptor is asked for its targets directly, as
   * upstream's TestPreemption does, instead of running a cycle.
   */
  assignment?: Record<string, string>;
  want: WantDoc;
}

export interface KueueCaseFile extends Omit<KueueCase, 'name' | 'want'> {
  /** The upstream test file and function the cases come from. */
  upstream: string;
  cases: KueueCase[];
}

function quota(value: number | string | Array<number | string | null>) {
  const [nominal, borrowingLimit, lendingLimit] = Array.isArray(value) ? value : [value];
  const set = (v: unknown) => v !== undefined && v !== null && v !== '';
  return {
    nominalQuota: nominal,
    ...(set(borrowingLimit) && { borrowingLimit }),
    ...(set(lendingLimit) && { lendingLimit }),
  };
}

/**
 * `inCohort` false drops borrowing and lending limits: Kueue's API refuses
 * them on a ClusterQueue without a cohort (as this engine's parser does),
 * and its unit tests, which bypass the API, set them anyway to no effect.
 */
function resourceGroups(groups: GroupDoc[] = [], inCohort = true) {
  return groups.map(group => ({
    coveredResources: [...new Set(Object.values(group).flatMap(r => Object.keys(r)))],
    flavors: Object.entries(group).map(([name, resources]) => ({
      name,
      resources: Object.entries(resources).map(([resource, q]) => ({
        name: resource,
        ...quota(inCohort || !Array.isArray(q) ? q : q[0] ?? 0),
      })),
    })),
  }));
}

function objectsOf(doc: Omit<KueueCase, 'name' | 'want'>): KueueObject[] {
  const out: KueueObject[] = [];
  for (const f of doc.flavors ?? []) {
    out.push(
      typeof f === 'string'
        ? { apiVersion: v1beta2, kind: 'ResourceFlavor', metadata: { name: f }, spec: {} }
        : { apiVersion: v1beta2, kind: 'ResourceFlavor', metadata: { name: f.name }, spec: f.spec ?? {} },
    );
  }
  for (const { name, cohort, resourceGroups: groups, ...rest } of doc.clusterQueues ?? []) {
    const spec: KueueObject = { namespaceSelector: {}, ...rest, resourceGroups: resourceGroups(groups, !!cohort) };
    if (cohort) spec.cohortName = cohort;
    out.push({ apiVersion: v1beta2, kind: 'ClusterQueue', metadata: { name }, spec });
  }
  for (const { name, resourceGroups: groups, ...rest } of doc.cohorts ?? []) {
    out.push({
      apiVersion: v1beta2,
      kind: 'Cohort',
      metadata: { name },
      spec: { ...rest, resourceGroups: resourceGroups(groups) },
    });
  }
  for (const [ref, lq] of Object.entries(doc.localQueues ?? {})) {
    const [namespace, name] = ref.split('/');
    const { clusterQueue, weight, usage } = typeof lq === 'string' ? ({ clusterQueue: lq } as LocalQueueDoc) : lq;
    out.push({
      apiVersion: v1beta2,
      kind: 'LocalQueue',
      metadata: { name, namespace },
      spec: { clusterQueue, ...(weight !== undefined && { fairSharing: { weight } }) },
      ...(usage && { status: { fairSharing: { admissionFairSharingStatus: { consumedResources: usage } } } }),
    });
  }
  for (const [name, labels] of Object.entries(doc.namespaces ?? {})) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  }
  for (const [name, levels] of Object.entries(doc.topologies ?? {})) {
    out.push(topology(name, levels));
  }
  for (const [name, value] of Object.entries(doc.priorityClasses ?? {})) {
    out.push({ apiVersion: v1beta2, kind: 'WorkloadPriorityClass', metadata: { name }, value });
  }
  return out;
}

const requestsOf = (r: Record<string, number | string> = {}) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, parseQuantity(v)]));

function workloadOf(w: WorkloadDoc): Workload {
  const namespace = w.namespace ?? 'default';
  const podSets: PodSet[] = w.podSets
    ? w.podSets.map(({ name, count, requests, ...rest }) => ({
        ...rest,
        name: name ?? 'main',
        count: count ?? 1,
        requests: requestsOf(requests),
      }))
    : [{ name: 'main', count: 1, requests: requestsOf(w.requests) }];
  return {
    key: `${namespace}/${w.name}`,
    namespace,
    name: w.name,
    queue: w.queue ?? 'main',
    priority: w.priority ?? 0,
    creationTime: (w.creation ?? 0) * 1000,
    podSets,
  };
}

function admissionOf(w: Workload, a: NonNullable<WorkloadDoc['admission']>): Admission {
  const perPodSet = a.podSets ?? { main: { flavors: a.flavors ?? {} } };
  return {
    clusterQueue: a.clusterQueue,
    podSets: w.podSets.map(ps => ({
      name: ps.name,
      count: perPodSet[ps.name]?.count ?? ps.count,
      flavors: perPodSet[ps.name]?.flavors ?? {},
    })),
  };
}

/** What happened in a case's run, in the notation of its `want`. */
export interface KueueCaseOutcome {
  admitted: NonNullable<WantDoc['admitted']>;
  preempted: string[];
  pending: string[];
}

/** The preemption targets of a case's single pending workload under its given `assignment`. */
function targetsOf(file: KueueCaseFile, c: KueueCase, config: QueueConfig, options: EngineOptions): string[] {
  const { clusterQueues } = buildQuotaTree(config);
  const admitted = new Map<QuotaNode, Candidate[]>();
  for (const w of [...(file.admitted ?? []), ...(c.admitted ?? [])]) {
    const workload = workloadOf(w);
    const node = clusterQueues.get(w.admission!.clusterQueue)!;
    const usage = usageOf(workload, admissionOf(workload, w.admission!));
    for (const [key, amount] of usage) node.addUsage(key, amount);
    const list = admitted.get(node) ?? [];
    list.push({ ...workload, admittedAt: (w.admittedAt ?? 0) * 1000, node, usage });
    admitted.set(node, list);
  }
  const incoming = workloadOf([...(file.pending ?? []), ...(c.pending ?? [])][0]);
  const cq = config.clusterQueues.get(config.localQueues.get(`${incoming.namespace}/${incoming.queue}`)!.clusterQueue)!;
  const usage = new Map<string, number>();
  for (const ps of incoming.podSets) {
    for (const [resource, amount] of Object.entries(ps.requests)) {
      const flavor = c.assignment![resource];
      if (flavor) usage.set(fr(flavor, resource), (usage.get(fr(flavor, resource)) ?? 0) + amount * ps.count);
    }
  }
  const targets = findTargets({
    preemptor: { ...incoming, node: clusterQueues.get(cq.name)!, preemption: cq.preemption },
    keys: new Set(usage.keys()),
    usage,
    admitted: node => admitted.get(node) ?? [],
    fairSharing: options.fairSharing,
    gates: options.featureGates!,
  });
  return targets.map(t => t.candidate.key).sort();
}

/** Runs one case of a file: seeds the admitted workloads, submits the pending ones, runs the cycles. */
export function runKueueCase(file: KueueCaseFile, c: KueueCase): KueueCaseOutcome {
  const shared = c.ownObjectsOnly ? [] : objectsOf(file);
  const config = parseQueueObjects([...shared, ...objectsOf(c)]);
  const options = parseEngineOptions(c.config ?? file.config);
  if (c.assignment) return { admitted: {}, preempted: targetsOf(file, c, config, options), pending: [] };
  const engine = new Engine(config, options);
  for (const w of [...(file.admitted ?? []), ...(c.admitted ?? [])]) {
    const workload = workloadOf(w);
    engine.restoreAdmitted(workload, admissionOf(workload, w.admission!), (w.admittedAt ?? 0) * 1000);
  }
  for (const w of [...(file.pending ?? []), ...(c.pending ?? [])]) engine.submit(workloadOf(w));
  const decisions: Decision[] = engine.schedule(0, c.cycles ?? 1);
  const outcome: KueueCaseOutcome = { admitted: {}, preempted: [], pending: [] };
  for (const d of decisions) {
    if (d.type === 'Admitted') {
      const podSets = Object.fromEntries(
        d.admission.podSets.map(ps => [ps.name, { count: ps.count, flavors: ps.flavors }]),
      );
      outcome.admitted[d.workload] = { clusterQueue: d.clusterQueue, podSets };
    } else if (d.type === 'Preempted') {
      outcome.preempted.push(d.workload);
    }
  }
  for (const s of engine.workloads()) if (s.status === 'pending') outcome.pending.push(s.workload.key);
  outcome.preempted.sort();
  outcome.pending.sort();
  return outcome;
}

/** The case's `want` in the outcome's notation: admissions per pod set with counts filled from the workload. */
export function expectedOutcome(file: KueueCaseFile, c: KueueCase): Partial<KueueCaseOutcome> {
  const workloads = new Map(
    [...(file.pending ?? []), ...(c.pending ?? []), ...(file.admitted ?? []), ...(c.admitted ?? [])].map(w => {
      const workload = workloadOf(w);
      return [workload.key, workload];
    }),
  );
  const out: Partial<KueueCaseOutcome> = {};
  if (c.want.admitted) {
    out.admitted = {};
    for (const [key, a] of Object.entries(c.want.admitted)) {
      const w = workloads.get(key);
      if (!w) throw new Error(`case "${c.name}": want.admitted names ${key}, which is not among its workloads`);
      const admission = admissionOf(w, a);
      out.admitted[key] = {
        clusterQueue: a.clusterQueue,
        podSets: Object.fromEntries(admission.podSets.map(ps => [ps.name, { count: ps.count, flavors: ps.flavors }])),
      };
    }
  }
  out.preempted = [...(c.want.preempted ?? [])].sort();
  if (c.want.pending) out.pending = [...c.want.pending].sort();
  return out;
}

/** A case of Kueue's TestAssignFlavors: one workload's flavors in a ClusterQueue with given usage. */
export interface FlavorAssignerCase {
  name: string;
  /** The ClusterQueue assigned in, and any others of its cohort. */
  clusterQueues: QueueDoc[];
  cohorts?: QueueDoc[];
  /** Usage per ClusterQueue: "flavor/resource" -> quantity (upstream's clusterQueueUsage). */
  usage?: Record<string, Record<string, number | string>>;
  /** Upstream's mocked preemption oracle per "flavor/resource"; any other answers Preempt, borrowing 0. */
  simulation?: Record<string, { possibility: 'NoCandidates' | 'Preempt' | 'Reclaim'; borrow: number }>;
  fairSharing?: boolean;
  /** Upstream's preemptWorkloadSlice: the flavors per pod set of the admitted slice this workload replaces. */
  replacedSlice?: Record<string, Record<string, string>>;
  podSets: PodSetDoc[];
  want: { mode: 'Fit' | 'Preempt' | 'NoFit'; borrow?: number; flavors?: Record<string, Record<string, string>> };
}

export interface FlavorAssignerCaseFile {
  upstream: string;
  flavors: Array<string | KueueObject>;
  topologies?: Record<string, string[]>;
  cases: FlavorAssignerCase[];
}

/** Runs a flavor-assigner case against the first of its ClusterQueues, with upstream's mocked oracle. */
export function runFlavorAssignerCase(file: FlavorAssignerCaseFile, c: FlavorAssignerCase) {
  const config = parseQueueObjects(
    objectsOf({
      flavors: file.flavors,
      topologies: file.topologies,
      clusterQueues: c.clusterQueues,
      cohorts: c.cohorts,
    }),
  );
  const { clusterQueues } = buildQuotaTree(config);
  for (const [queue, usage] of Object.entries(c.usage ?? {})) {
    for (const [key, q] of Object.entries(usage)) clusterQueues.get(queue)!.addUsage(key, parseQuantity(q));
  }
  const cq = config.clusterQueues.get(c.clusterQueues[0].name)!;
  const possibilities = { NoCandidates: Granular.NoCandidates, Preempt: Granular.Preempt, Reclaim: Granular.Reclaim };
  const workload = workloadOf({ name: 'wl', podSets: c.podSets });
  const assignment = assignFlavors(
    {
      config,
      cq,
      node: clusterQueues.get(cq.name)!,
      fairSharing: c.fairSharing,
      replaced: c.replacedSlice && {
        clusterQueue: cq.name,
        podSets: Object.entries(c.replacedSlice).map(([name, flavors]) => ({ name, count: 1, flavors })),
      },
      oracle: key => {
        const mocked = c.simulation?.[key];
        return mocked
          ? { possibility: possibilities[mocked.possibility] as Granular.NoCandidates, borrow: mocked.borrow }
          : { possibility: Granular.Preempt, borrow: 0 };
      },
    },
    workload,
  );
  return {
    mode: Mode[assignment.mode] as FlavorAssignerCase['want']['mode'],
    borrow: assignment.borrowLevel,
    flavors: Object.fromEntries(assignment.podSets.map(ps => [ps.name, ps.flavors])),
  };
}

/** Reads a case file. */
export function readKueueCases<F = KueueCaseFile>(path: string): F {
  return parseYaml(readFileSync(path, 'utf8'), { maxAliasCount: -1, merge: true }) as F;
}
