import { parse as parseYaml } from 'yaml';
import { ConfigError, parseEngineOptions, parseQueueObjects } from '../config/parse';
import { parseQuantity } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { EngineOptions, QueueConfig } from '../config/types';
import type { NodeSpec } from '../engine/topology';
import type { Admission, PodSet, Workload } from '../engine/types';
import { parseChanges, parseResizes, parseSeededAdmission, type ScenarioChange, type ScenarioResize } from './changes';
import { parseEtaSettings, type EtaSettings } from './eta';
import { parseBudgetSpecs, type BudgetSpec } from '../engine/budgets';

export interface ScenarioWorkload {
  workload: Workload;
  /** ms after start */
  arrival: number;
  /** ms of run time once admitted */
  duration: number;
  /** ms of run time the user declares (what the engine and the ETA may see); `duration` is what really happens. */
  declaredDuration?: number;
  /** Kueue's max-exec-time (ms): declared upper bound of the run time. */
  maxExecTime?: number;
  /** The owning team (default: the namespace) and workload kind, for the run-time model's history. */
  team?: string;
  kind?: string;
  /** ms after admission until pods are ready; undefined = never */
  podsReadyAfter?: number;
  /** Optional label to group results (Kueue's benchmark classes). */
  className?: string;
  /** Seeded as already admitted at its arrival, with this assignment. */
  admitted?: Admission;
  /** Elastic: its pod counts change during the run. */
  resizes?: ScenarioResize[];
}

export interface Scenario {
  config: QueueConfig;
  options: EngineOptions;
  nodes?: NodeSpec[];
  workloads: ScenarioWorkload[];
  /** ms: end the simulation here even if workloads are still queued or running. */
  until?: number;
  /** Queue objects applied or deleted during the run. */
  changes?: ScenarioChange[];
  /** How ETA accuracy is measured (see simulator/eta.ts). */
  eta?: Partial<EtaSettings>;
  /** Teams' GPU-hour budgets for the run, enforced at admission. */
  budgets?: BudgetSpec[];
}

/** A scenario problem, naming the file, the object and the field. */
export class ScenarioError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(problems.map(p => `${file}: ${p}`).join('\n'));
    this.name = 'ScenarioError';
  }
}

type Obj = Record<string, any>;

function seconds(value: unknown, field: string, problems: string[], fallback?: number): number | undefined {
  if (value === undefined || value === null) {
    if (fallback === undefined) problems.push(`${field}: is required (seconds)`);
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(`${field}: must be a non-negative number of seconds, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return Math.round(value * 1000);
}

function parsePodSets(raw: unknown, where: string, problems: string[]): PodSet[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`${where}.podSets: must list at least one pod set`);
    return [];
  }
  return raw.map((ps: Obj, i) => {
    const field = `${where}.podSets[${i}]`;
    const count = ps?.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      problems.push(`${field}.count: must be a positive integer, got ${JSON.stringify(ps?.count)}`);
    if (ps?.minCount !== undefined && (!Number.isInteger(ps.minCount) || ps.minCount < 1 || ps.minCount > count)) {
      problems.push(
        `${field}.minCount: must be an integer between 1 and count (${count}), got ${JSON.stringify(ps.minCount)}`,
      );
    }
    const requests: Record<string, number> = {};
    for (const [resource, q] of Object.entries((ps?.requests ?? {}) as Obj)) {
      try {
        requests[resource] = parseQuantity(q);
      } catch (e) {
        problems.push(`${field}.requests.${resource}: ${(e as Error).message}`);
      }
    }
    const topology = ps?.topology;
    if (topology !== undefined && (typeof topology !== 'object' || (!topology.required && !topology.preferred))) {
      problems.push(`${field}.topology: must be {required: <node label>} or {preferred: <node label>}`);
    }
    return {
      name: typeof ps?.name === 'string' ? ps.name : `podset-${i}`,
      count,
      minCount: ps?.minCount,
      requests,
      nodeSelector: ps?.nodeSelector,
      tolerations: ps?.tolerations,
      topology,
    };
  });
}

/** Parses a scenario file's text (YAML or JSON); `file` names it in errors. */
export function parseScenario(text: string, file: string): Scenario {
  let doc: Obj;
  try {
    doc = parseYaml(text, { maxAliasCount: -1 }) ?? {};
  } catch (e) {
    throw new ScenarioError(file, [`not valid YAML: ${(e as Error).message}`]);
  }
  return scenarioFromDocument(doc, file);
}

/** Validates an already parsed scenario document. */
export function scenarioFromDocument(doc: Obj, file: string): Scenario {
  const problems: string[] = [];
  let config: QueueConfig | undefined;
  let options: EngineOptions | undefined;
  try {
    config = parseQueueObjects(Array.isArray(doc.objects) ? doc.objects : []);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems.map(p => `objects: ${p}`));
  }
  if (!Array.isArray(doc.objects)) problems.push('objects: must be a list of Kueue objects');
  try {
    options = parseEngineOptions(doc.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  if (!Array.isArray(doc.workloads)) problems.push('workloads: must be a list');
  const seen = new Set<string>();
  const workloads: ScenarioWorkload[] = ((doc.workloads ?? []) as Obj[]).map((w, i) => {
    const where = `workloads[${i}]${typeof w?.name === 'string' ? ` (${w.namespace ?? 'default'}/${w.name})` : ''}`;
    if (typeof w?.name !== 'string') problems.push(`${where}.name: is required`);
    if (typeof w?.queue !== 'string') problems.push(`${where}.queue: is required (the LocalQueue name)`);
    const namespace = typeof w?.namespace === 'string' ? w.namespace : 'default';
    const key = `${namespace}/${w?.name}`;
    if (seen.has(key)) problems.push(`${where}.name: ${key} appears twice`);
    seen.add(key);
    let priority = 0;
    if (w?.priorityClass !== undefined) {
      const value = config?.priorityClasses.get(w.priorityClass);
      if (value === undefined)
        problems.push(`${where}.priorityClass: WorkloadPriorityClass "${w.priorityClass}" is not among the objects`);
      else priority = value;
    } else if (w?.priority !== undefined) {
      if (!Number.isInteger(w.priority))
        problems.push(`${where}.priority: must be an integer, got ${JSON.stringify(w.priority)}`);
      else priority = w.priority;
    }
    const arrival = seconds(w?.arrival, `${where}.arrival`, problems, 0)!;
    const duration = seconds(w?.duration, `${where}.duration`, problems) ?? 0;
    const declaredDuration = seconds(w?.declaredDuration, `${where}.declaredDuration`, problems, -1);
    const maxExecTime = seconds(w?.maxExecTime, `${where}.maxExecTime`, problems, -1);
    for (const field of ['team', 'kind'])
      if (w?.[field] !== undefined && typeof w[field] !== 'string')
        problems.push(`${where}.${field}: must be a string, got ${JSON.stringify(w[field])}`);
    const podsReadyAfter =
      w?.podsReadyAfter === 'never' ? undefined : seconds(w?.podsReadyAfter, `${where}.podsReadyAfter`, problems, 0);
    return {
      workload: {
        key,
        namespace,
        name: w?.name,
        queue: w?.queue,
        priority,
        creationTime: arrival,
        podSets: parsePodSets(w?.podSets, where, problems),
      },
      arrival,
      duration,
      ...(declaredDuration! >= 0 ? { declaredDuration } : {}),
      ...(maxExecTime! >= 0 ? { maxExecTime } : {}),
      ...(typeof w?.team === 'string' ? { team: w.team } : {}),
      ...(typeof w?.kind === 'string' ? { kind: w.kind } : {}),
      podsReadyAfter,
      className: w?.class,
    };
  });
  if (doc.nodes !== undefined && !Array.isArray(doc.nodes))
    problems.push('nodes: must be a list of {name, labels, allocatable}');
  for (const [i, n] of ((doc.nodes ?? []) as Obj[]).entries()) {
    if (typeof n?.name !== 'string') problems.push(`nodes[${i}].name: is required`);
    for (const [resource, q] of Object.entries((n?.allocatable ?? {}) as Obj)) {
      try {
        parseQuantity(q);
      } catch (e) {
        problems.push(`nodes[${i}] (${n?.name}).allocatable.${resource}: ${(e as Error).message}`);
      }
    }
  }
  for (const [i, w] of workloads.entries()) {
    const raw = (doc.workloads as Obj[])[i]?.admitted;
    if (raw !== undefined) w.admitted = parseSeededAdmission(raw, `workloads[${i}]`, w.workload, config, problems);
    const resizes = parseResizes(
      (doc.workloads as Obj[])[i]?.resizes,
      `workloads[${i}]`,
      w.workload,
      w.arrival,
      problems,
    );
    if (resizes && options?.featureGates?.ElasticJobsViaWorkloadSlices === false)
      problems.push(`workloads[${i}].resizes: needs config.featureGates.ElasticJobsViaWorkloadSlices, which is off`);
    if (resizes) w.resizes = resizes;
  }
  const changes = parseChanges(doc, problems);
  const until = seconds(doc.until, 'until', problems, Infinity);
  const eta = parseEtaSettings(doc.eta, problems);
  const budgets = parseBudgetSpecs(doc.budgets, problems);
  const wfpr = options?.waitForPodsReady;
  const neverReady = workloads.findIndex(w => w.podsReadyAfter === undefined);
  // Such a workload is evicted and requeued forever, so the simulation would never end.
  if (wfpr?.enable && wfpr.backoffLimitCount === undefined && neverReady >= 0 && until === Infinity) {
    problems.push(
      `workloads[${neverReady}] (${workloads[neverReady].workload.key}).podsReadyAfter: "never" with waitForPodsReady and no backoff limit requeues the workload forever; set config.waitForPodsReady.requeuingStrategy.backoffLimitCount or the scenario's until (seconds)`,
    );
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return {
    config: config!,
    options: options!,
    nodes: doc.nodes,
    workloads,
    until: until === Infinity ? undefined : until,
    eta,
    ...(budgets.length > 0 && { budgets }),
    ...(changes.length > 0 && { changes }),
  };
}
