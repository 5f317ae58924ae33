/** One requirement of a label selector (metav1.LabelSelectorRequirement). */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** One requirement of a node selector term, which may also compare numbers (Gt, Lt). */
export interface NodeSelectorRequirement {
  key: string;
  operator: LabelSelectorRequirement['operator'] | 'Gt' | 'Lt';
  values?: string[];
}

/** A Kubernetes label selector: every matchLabels entry and every expression must hold. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A pod's toleration of node taints. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

/** A node taint: pods that do not tolerate it stay off the node (NoSchedule, NoExecute) or prefer to. */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Whether a label's value (undefined when the label is absent) meets a requirement, as Kubernetes decides. */
export function meetsRequirement(value: string | undefined, requirement: NodeSelectorRequirement): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** One term of a node affinity's nodeSelectorTerms: expressions on the node's labels and fields. */
export interface NodeSelectorTerm {
  /** Requirements on the node's labels. */
  matchExpressions?: NodeSelectorRequirement[];
  /** Only `metadata.name` is a node field a term may select on. */
  matchFields?: NodeSelectorRequirement[];
}

// Own keys only: a label named "constructor" is not Object.prototype's.
const labelOf = (labels: Record<string, string> | undefined, key: string) =>
  labels && Object.hasOwn(labels, key) ? labels[key] : undefined;

/** Whether labels satisfy a label selector; an empty selector selects everything. */
export function selectsLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labelOf(labels, key) !== value) return false;
  return (selector.matchExpressions ?? []).every(r => meetsRequirement(labelOf(labels, r.key), r));
}

/** Whether a node (its name and labels) matches a node selector term; an empty term matches nothing, as in Kubernetes. */
export function matchesNodeSelectorTerm(
  term: NodeSelectorTerm,
  node: { name?: string; labels?: Record<string, string> },
): boolean {
  const expressions = term.matchExpressions ?? [];
  const nodeFields = term.matchFields ?? [];
  if (expressions.length === 0 && nodeFields.length === 0) return false;
  return (
    expressions.every(r => meetsRequirement(labelOf(node.labels, r.key), r)) &&
    nodeFields.every(r => meetsRequirement(r.key === 'metadata.name' ? node.name : undefined, r))
  );
}

/** Whether one of the tolerations tolerates the taint: same effect (or any), same key (or any with Exists), same value unless Exists. */
export function toleratesTaint(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some(t => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The first taint that keeps pods with these tolerations off (PreferNoSchedule only discourages), if any. */
export function untoleratedTaint(tolerations: Toleration[], taints: Taint[]): Taint | undefined {
  return taints.find(taint => taint.effect !== 'PreferNoSchedule' && !toleratesTaint(tolerations, taint));
}
