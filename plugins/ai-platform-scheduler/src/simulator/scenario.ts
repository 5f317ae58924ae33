import { parse as parseYaml } from 'yaml';
import { ConfigError, parseEngineOptions, parseQueueObjects } from '../config/parse';
import type { EngineOptions, QueueConfig } from '../config/types';
import type { NodeSpec } from '../engine/topology';
import type { Admission, Workload } from '../engine/types';
import type { BudgetSpec } from '../engine/budgets';
import { parseChanges, type ScenarioChange } from './changes';
import type { EtaSettings } from './etaSettings';
import {
  budgetsSchema,
  etaSchema,
  nodeSchema,
  readSection,
  resizesSchema,
  type ScenarioResize,
  seconds,
  seededAdmissionSchema,
  workloadSchema,
} from './scenarioSchema';

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
  const workloadEntry = workloadSchema({ priorityClasses: config?.priorityClasses ?? new Map() });
  const rawWorkloads: Obj[] = Array.isArray(doc.workloads) ? doc.workloads : [];
  const seen = new Set<string>();
  const read = rawWorkloads.map((raw, i): ScenarioWorkload | undefined => {
    const key =
      typeof raw?.name === 'string'
        ? `${typeof raw.namespace === 'string' ? raw.namespace : 'default'}/${raw.name}`
        : undefined;
    const w = readSection(workloadEntry, raw, ['workloads', i], problems, key);
    if (key && seen.has(key)) problems.push(`workloads[${i}] (${key}).name: ${key} appears twice`);
    if (key) seen.add(key);
    return w;
  });
  if (doc.nodes !== undefined && !Array.isArray(doc.nodes))
    problems.push('nodes: must be a list of {name, labels, allocatable}');
  const nodes = Array.isArray(doc.nodes)
    ? (doc.nodes as Obj[]).map((n, i) =>
        readSection(nodeSchema, n, ['nodes', i], problems, typeof n?.name === 'string' ? n.name : undefined),
      )
    : undefined;
  for (const [i, w] of read.entries()) {
    if (rawWorkloads[i].resizes !== undefined && w) {
      w.resizes = readSection(
        resizesSchema(w.workload.podSets, w.arrival),
        rawWorkloads[i].resizes,
        ['workloads', i, 'resizes'],
        problems,
      );
      if (options?.featureGates?.ElasticJobsViaWorkloadSlices === false)
        problems.push(`workloads[${i}].resizes: needs config.featureGates.ElasticJobsViaWorkloadSlices, which is off`);
    }
    if (rawWorkloads[i].admitted === undefined) continue;
    const at = ['workloads', i, 'admitted'];
    const admitted = readSection(
      seededAdmissionSchema(w?.workload.podSets, config),
      rawWorkloads[i].admitted,
      at,
      problems,
    );
    if (w) w.admitted = admitted;
  }
  const changes = parseChanges(doc, problems);
  const until = readSection(seconds(Infinity), doc.until, ['until'], problems);
  const eta = readSection(etaSchema, doc.eta, ['eta'], problems);
  const budgets = readSection(budgetsSchema, doc.budgets, ['budgets'], problems) ?? [];
  const wfpr = options?.waitForPodsReady;
  const neverReady = read.findIndex(w => w && w.podsReadyAfter === undefined);
  // Such a workload is evicted and requeued forever, so the simulation would never end.
  if (wfpr?.enable && wfpr.backoffLimitCount === undefined && neverReady >= 0 && until === Infinity) {
    problems.push(
      `workloads[${neverReady}] (${
        read[neverReady]!.workload.key
      }).podsReadyAfter: "never" with waitForPodsReady and no backoff limit requeues the workload forever; set config.waitForPodsReady.requeuingStrategy.backoffLimitCount or the scenario's until (seconds)`,
    );
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  const workloads = read as ScenarioWorkload[];
  return {
    config: config!,
    options: options!,
    nodes: nodes as NodeSpec[] | undefined,
    workloads,
    until: until === Infinity ? undefined : until,
    eta,
    ...(budgets.length > 0 && { budgets }),
    ...(changes.length > 0 && { changes }),
  };
}
