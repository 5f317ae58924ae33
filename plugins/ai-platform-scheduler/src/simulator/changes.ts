import { ConfigError, parseQueueObjects } from '../config/parse';
import type { QueueConfig } from '../config/types';
import type { Admission, Workload } from '../engine/types';

/** The queue configuration from a point in the run on, after an object was applied or deleted. */
export interface ScenarioChange {
  /** ms after start */
  at: number;
  config: QueueConfig;
}

type Obj = Record<string, any>;

const identity = (o: Obj) => `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;

/**
 * Reads `changes: [{at, apply: object | [objects]} | {at, delete: {kind, name, namespace?}}]`:
 * each applies to the objects as the earlier changes left them (apply
 * replaces an object of the same kind and name), so stopPolicy,
 * quota, lending limits and cohort membership can change mid-run.
 */
export function parseChanges(doc: Obj, problems: string[]): ScenarioChange[] {
  if (doc.changes === undefined) return [];
  if (!Array.isArray(doc.changes)) {
    problems.push('changes: must be a list of {at, apply} or {at, delete}');
    return [];
  }
  let objects: Obj[] = Array.isArray(doc.objects) ? [...doc.objects] : [];
  const out: ScenarioChange[] = [];
  let previous = -1;
  for (const [i, c] of (doc.changes as Obj[]).entries()) {
    const where = `changes[${i}]`;
    if (typeof c?.at !== 'number' || !Number.isFinite(c.at) || c.at < 0) {
      problems.push(`${where}.at: must be a non-negative number of seconds, got ${JSON.stringify(c?.at)}`);
      continue;
    }
    if (c.at < previous)
      problems.push(`${where}.at: changes must be listed in time order (${c.at} s after ${previous} s)`);
    previous = c.at;
    if ((c.apply === undefined) === (c.delete === undefined)) {
      problems.push(
        `${where}: needs exactly one of apply (an object or a list of objects) or delete ({kind, name, namespace})`,
      );
      continue;
    }
    if (c.apply !== undefined) {
      for (const o of Array.isArray(c.apply) ? c.apply : [c.apply]) {
        objects = [...objects.filter(x => identity(x) !== identity(o)), o];
      }
    } else {
      const d = c.delete as Obj;
      const id = `${d?.kind}/${d?.namespace ?? ''}/${d?.name}`;
      if (!objects.some(x => identity(x) === id)) {
        problems.push(`${where}.delete: no ${d?.kind} named ${d?.name} to delete at ${c.at} s`);
        continue;
      }
      objects = objects.filter(x => identity(x) !== id);
    }
    try {
      out.push({ at: Math.round(c.at * 1000), config: parseQueueObjects(objects) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems.map(p => `${where}: ${p}`));
    }
  }
  return out;
}

/**
 * Reads a workload seeded as already admitted: `admitted: {clusterQueue,
 * flavors: {resource: flavor}}` for every pod set, or per pod set
 * `podSets: {name: {count, flavors}}`.
 */
export function parseSeededAdmission(
  raw: Obj,
  where: string,
  workload: Workload,
  config: QueueConfig | undefined,
  problems: string[],
): Admission | undefined {
  const field = `${where}.admitted`;
  if (typeof raw?.clusterQueue !== 'string') {
    problems.push(`${field}.clusterQueue: is required (the ClusterQueue that admitted it)`);
    return undefined;
  }
  if (config && !config.clusterQueues.has(raw.clusterQueue))
    problems.push(`${field}.clusterQueue: ClusterQueue "${raw.clusterQueue}" is not among the objects`);
  const perPodSet = (raw.podSets ?? {}) as Record<string, Obj>;
  for (const name of Object.keys(perPodSet))
    if (!workload.podSets.some(ps => ps.name === name))
      problems.push(`${field}.podSets.${name}: the workload has no such pod set`);
  const podSets = workload.podSets.map(ps => {
    const own = perPodSet[ps.name];
    const flavors = (own?.flavors ?? raw.flavors ?? {}) as Record<string, string>;
    for (const [resource, flavor] of Object.entries(flavors))
      if (config && !config.flavors.has(flavor))
        problems.push(
          `${field}: ResourceFlavor "${flavor}" (for ${resource} of pod set ${ps.name}) is not among the objects`,
        );
    const count = own?.count ?? ps.count;
    if (!Number.isInteger(count) || count < 0 || count > ps.count)
      problems.push(`${field}.podSets.${ps.name}.count: must be an integer up to the pod set's count (${ps.count})`);
    return { name: ps.name, count, flavors };
  });
  return { clusterQueue: raw.clusterQueue, podSets };
}

/** An elastic workload's pod counts change at `at` (ms after start), per pod set. */
export interface ScenarioResize {
  /** ms after start */
  at: number;
  /** pod set name -> the pod count asked for from then on */
  counts: Record<string, number>;
}

/**
 * Reads a workload's `resizes: [{at, podSets: {name: count}}]` (at in
 * seconds, not before its arrival): the counts its job asks for from then on
 * (Kueue's elastic jobs; see engine/slices.ts).
 */
export function parseResizes(raw: unknown, where: string, workload: Workload, arrival: number, problems: string[]) {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    problems.push(`${where}.resizes: must be a list of {at, podSets: {name: count}}`);
    return undefined;
  }
  return (raw as Obj[]).map((r, i): ScenarioResize => {
    const field = `${where}.resizes[${i}]`;
    if (typeof r?.at !== 'number' || !Number.isFinite(r.at) || r.at * 1000 < arrival)
      problems.push(`${field}.at: must be a number of seconds, not before the workload's arrival`);
    const counts = (r?.podSets ?? {}) as Record<string, number>;
    for (const ps of workload.podSets)
      if (!Number.isInteger(counts[ps.name]) || counts[ps.name] < 1)
        problems.push(
          `${field}.podSets.${ps.name}: must be a positive integer, got ${JSON.stringify(counts[ps.name])}`,
        );
    for (const name of Object.keys(counts))
      if (!workload.podSets.some(ps => ps.name === name))
        problems.push(`${field}.podSets.${name}: the workload has no such pod set`);
    return { at: Math.round(Number(r?.at) * 1000), counts };
  });
}
