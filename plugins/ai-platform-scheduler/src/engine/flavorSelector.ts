import { matchesNodeSelectorTerm, untoleratedTaint } from '@ai-platform/backstage-plugin-ai-platform-common';
import type { ResourceFlavor } from '../config/types';
import type { Admission, PodSet } from './types';

/**
 * Kueue's flavorSelector: the pods' node selector and required node affinity,
 * each restricted to the label keys the flavor itself has, match the
 * flavor's labels (a term left with no expressions matches any flavor).
 */
function selectsFlavor(flavor: ResourceFlavor, podSet: PodSet): string | undefined {
  const own = (key: string) => Object.hasOwn(flavor.nodeLabels, key);
  for (const [key, value] of Object.entries(podSet.nodeSelector ?? {})) {
    if (own(key) && flavor.nodeLabels[key] !== value) {
      return `flavor ${flavor.name} has ${key}=${flavor.nodeLabels[key]}, the pods select ${key}=${value}`;
    }
  }
  const terms = (podSet.nodeAffinity ?? []).map(t => (t.matchExpressions ?? []).filter(e => own(e.key)));
  if (terms.length === 0 || terms.some(t => t.length === 0)) return undefined;
  if (terms.some(matchExpressions => matchesNodeSelectorTerm({ matchExpressions }, { labels: flavor.nodeLabels })))
    return undefined;
  return `flavor ${flavor.name} does not match the pods' node affinity`;
}

/**
 * Why a flavor cannot host a pod set at all (selector, affinity, taints, a slice's flavors), or undefined.
 * `replaced` is a workload slice's admitted slice, whose flavors the new slice keeps.
 */
export function incompatibility(
  replaced: Admission | undefined,
  flavor: ResourceFlavor,
  podSet: PodSet,
  resources: string[],
): string | undefined {
  if (!replaced && !podSet.nodeSelector && !podSet.nodeAffinity && flavor.nodeTaints.length === 0) return undefined;
  const running = replaced?.podSets.find(ps => ps.name === podSet.name);
  const other = running && resources.find(r => running.flavors[r] !== flavor.name);
  if (running && other) {
    return `flavor ${flavor.name}: the admitted slice of this workload has ${other} on ${
      running.flavors[other] ?? 'no flavor'
    }`;
  }
  const selected = selectsFlavor(flavor, podSet);
  if (selected) return selected;
  const taint = untoleratedTaint([...(podSet.tolerations ?? []), ...flavor.tolerations], flavor.nodeTaints);
  if (!taint) return undefined;
  return `flavor ${flavor.name} has the untolerated taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${
    taint.effect
  }`;
}
