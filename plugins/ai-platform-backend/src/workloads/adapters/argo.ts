import {
  type WorkloadObject,
  at,
  defineAdapter,
  fieldSuspension,
  type PodSpecLike,
  type PodSlot,
} from '@ai-platform/backstage-plugin-ai-platform-node';

interface WorkflowTemplate {
  name: string;
  container?: NonNullable<PodSpecLike['containers']>[number];
  script?: NonNullable<PodSpecLike['containers']>[number];
  nodeSelector?: Record<string, string>;
  tolerations?: PodSpecLike['tolerations'];
}

/**
 * argoproj.io/v1alpha1 Workflow: one pod set of one pod per container or
 * script template. This is conservative: it reserves quota as if every step
 * ran at once, since the DAG's peak is not known before it runs.
 */
export const workflowAdapter = defineAdapter({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  plural: 'workflows',
  entityType: 'ml-pipeline',
  slots: (obj: WorkloadObject): PodSlot[] =>
    (at<WorkflowTemplate[]>(obj, 'spec', 'templates') ?? [])
      .filter(t => t.container || t.script)
      .map(t => ({ name: t.name, count: 1, spec: { containers: [(t.container ?? t.script)!] }, target: t })),
  suspension: fieldSuspension('spec', 'suspend'),
  outcome: obj => {
    const phase = at<string>(obj, 'status', 'phase');
    if (phase === 'Succeeded') return 'Succeeded';
    return phase === 'Failed' || phase === 'Error' ? 'Failed' : undefined;
  },
  podsReady: obj => at<string>(obj, 'status', 'phase') === 'Running',
});
