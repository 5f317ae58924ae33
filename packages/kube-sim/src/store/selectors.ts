import { selectsLabels, type LabelSelectorRequirement } from '@ai-platform/backstage-plugin-ai-platform-common';
import { StoreError, type KubeObject } from './types';

/** A parsed selector: a predicate over one object. */
export type ObjectMatcher = (object: KubeObject) => boolean;

const matchAll: ObjectMatcher = () => true;

function badSelector(kind: string, selector: string, why: string): StoreError {
  return new StoreError(400, 'BadRequest', `unable to parse ${kind} selector "${selector}": ${why}`);
}

/** Splits on commas that are not inside a `(...)` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map(t => t.trim()).filter(t => t.length > 0);
}

function parseLabelTerm(term: string, selector: string): LabelSelectorRequirement {
  let m = /^!\s*([A-Za-z0-9._/-]+)$/.exec(term);
  if (m) return { key: m[1], operator: 'DoesNotExist' };
  m = /^([A-Za-z0-9._/-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) {
    const values = m[3].split(',').map(v => v.trim());
    return { key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values };
  }
  m = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(term);
  if (m) return { key: m[1], operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]] };
  m = /^([A-Za-z0-9._/-]+)$/.exec(term);
  if (m) return { key: m[1], operator: 'Exists' };
  throw badSelector(
    'label',
    selector,
    `"${term}" is not one of key, !key, key=value, key==value, key!=value, key in (a,b), key notin (a,b)`,
  );
}

/** Parses a Kubernetes label selector (=, ==, !=, in, notin, key, !key). */
export function parseLabelSelector(selector: string | undefined): ObjectMatcher {
  if (!selector || !selector.trim()) return matchAll;
  const matchExpressions = splitTerms(selector).map(t => parseLabelTerm(t, selector));
  return object => selectsLabels({ matchExpressions }, object.metadata.labels);
}

/** Reads a dotted field path such as `status.phase`; missing fields read as ''. */
export function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/** Parses a field selector (`path=value`, `path==value`, `path!=value`, comma-separated). */
export function parseFieldSelector(selector: string | undefined): ObjectMatcher {
  if (!selector || !selector.trim()) return matchAll;
  const requirements = splitTerms(selector).map(term => {
    const m = /^([A-Za-z0-9._-]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) {
      throw badSelector('field', selector, `"${term}" is not of the form field=value, field==value or field!=value`);
    }
    return { path: m[1], negate: m[2] === '!=', value: m[3].trim() };
  });
  return object => requirements.every(r => (fieldValue(object, r.path) === r.value) !== r.negate);
}

/** Combines a label and a field selector into one predicate. */
export function parseSelectors(labelSelector?: string, fieldSelector?: string): ObjectMatcher {
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector);
  if (labels === matchAll) return fields;
  if (fields === matchAll) return labels;
  return object => labels(object) && fields(object);
}
