import { ConfigError, parseQueueObjects } from '../config/parse';
import type { QueueConfig } from '../config/types';
import { changeSchema, readSection } from './scenarioSchema';

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
  for (const [i, raw] of (doc.changes as unknown[]).entries()) {
    const where = `changes[${i}]`;
    const c = readSection(changeSchema, raw, ['changes', i], problems);
    if (!c) continue;
    if (c.at < previous)
      problems.push(`${where}.at: changes must be listed in time order (${c.at} s after ${previous} s)`);
    previous = c.at;
    if (c.apply !== undefined) {
      for (const o of Array.isArray(c.apply) ? c.apply : [c.apply]) {
        objects = [...objects.filter(x => identity(x) !== identity(o)), o];
      }
    } else {
      const d = c.delete!;
      const id = `${d.kind}/${d.namespace ?? ''}/${d.name}`;
      if (!objects.some(x => identity(x) === id)) {
        problems.push(`${where}.delete: no ${d.kind} named ${d.name} to delete at ${c.at} s`);
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
