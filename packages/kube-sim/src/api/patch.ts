import { applyPatch, type Operation } from 'fast-json-patch';
import { badRequest, ApiError } from './status';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Content types accepted by PATCH, by the name `kubectl patch --type` uses. */
export const PATCH_CONTENT_TYPES = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
} as const;

export type PatchKind = (typeof PATCH_CONTENT_TYPES)[keyof typeof PATCH_CONTENT_TYPES];

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * The merge keys of Kubernetes' strategic merge patch for the list fields kube-sim's types use;
 * other lists of objects merge by `name` when every patch element has one, else replace.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};
/** Lists of scalars whose strategy is merge (set union), not replace. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, patchItems: JsonObject[]): string | undefined {
  if (field === 'ports') {
    if (patchItems.every(item => 'containerPort' in item)) return 'containerPort';
    if (patchItems.every(item => 'port' in item)) return 'port';
  }
  if (MERGE_KEYS[field]) return MERGE_KEYS[field];
  if (field === 'tolerations') return undefined; // atomic in Kubernetes
  return patchItems.length > 0 && patchItems.every(item => typeof item.name === 'string') ? 'name' : undefined;
}

function withoutDirectives(value: Json): Json {
  if (Array.isArray(value)) {
    return value.filter(item => !(isObject(item) && item.$patch === 'delete')).map(withoutDirectives);
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    out[key] = withoutDirectives(child);
  }
  return out;
}

function mergeList(field: string, original: Json | undefined, patch: Json[]): Json[] {
  const base = Array.isArray(original) ? original : [];
  if (patch.some(item => isObject(item) && item.$patch === 'replace')) {
    return patch.filter(item => !(isObject(item) && item.$patch === 'replace')).map(withoutDirectives);
  }
  if (!patch.every(isObject)) {
    if (MERGED_SCALAR_LISTS.has(field)) return [...base, ...patch.filter(item => !base.includes(item))];
    return patch;
  }
  const items = patch as JsonObject[];
  const key = mergeKeyFor(field, items);
  if (!key) return items.map(withoutDirectives);
  const result = [...base];
  for (const item of items) {
    const index = result.findIndex(existing => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMergePatch(result[index], item);
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

/**
 * Kubernetes strategic merge patch: maps merge recursively, lists of objects merge by their
 * merge key, `null` deletes, and the `$patch`, `$setElementOrder/`, `$deleteFromPrimitiveList/`
 * and `$retainKeys` directives that kubectl sends are honoured or dropped.
 */
export function strategicMergePatch(original: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const result: JsonObject = isObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter(v => !value.includes(v));
      continue;
    }
    if (value === null || (isObject(value) && value.$patch === 'delete')) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else if (isObject(value)) result[key] = strategicMergePatch(result[key], value);
    else result[key] = value;
  }
  return result;
}

/** Applies a PATCH body of the given kind to a copy of `original`. */
export function applyPatchBody(kind: PatchKind, original: object, patch: unknown): Record<string, unknown> {
  const source = original as unknown as Json;
  let result: Json;
  if (kind === 'json') {
    if (!Array.isArray(patch)) {
      throw badRequest(
        'a JSON patch (application/json-patch+json) must be an array of operations such as [{"op":"replace","path":"/spec/replicas","value":3}]',
      );
    }
    try {
      result = applyPatch(structuredClone(source), patch as Operation[], true, true).newDocument;
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ApiError(422, 'Invalid', `the JSON patch could not be applied: ${message}`);
    }
  } else {
    if (!isObject(patch)) {
      throw badRequest(`a ${kind === 'merge' ? 'merge' : 'strategic merge'} patch must be a JSON object`);
    }
    result = kind === 'merge' ? mergePatch(source, patch) : strategicMergePatch(source, patch);
  }
  if (!isObject(result)) throw new ApiError(422, 'Invalid', 'the patched object is not a JSON object');
  return result;
}
