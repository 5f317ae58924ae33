import { KubeObject } from '../../store/types';
import { isoTime } from '../clock';
import { Controller } from './controller';
import { podFromTemplate } from './pods';

const argoKeys = {
  workflow: 'workflows.argoproj.io/workflow',
  completed: 'workflows.argoproj.io/completed',
  phase: 'workflows.argoproj.io/phase',
  nodeName: 'workflows.argoproj.io/node-name',
  nodeId: 'workflows.argoproj.io/node-id',
} as const;

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Omitted';

interface Scheduling {
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
}

interface WorkflowStep {
  name: string;
  template: string;
  dependencies?: string[];
}

interface Template extends Scheduling {
  name: string;
  container?: Record<string, unknown>;
  script?: Record<string, unknown> & { source?: string };
  steps?: WorkflowStep[][];
  dag?: { tasks: WorkflowStep[] };
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

interface NodeStatus {
  id: string;
  name: string;
  displayName: string;
  type: 'Pod' | 'Steps' | 'StepGroup' | 'DAG';
  templateName: string;
  phase: Phase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** FNV-1a, 32 bits: what Argo hashes node names with for node ids and pod names. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

const done = (phase: Phase) => phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
const failed = (phase: Phase) => phase === 'Failed' || phase === 'Error';

/**
 * argoproj.io/v1alpha1 Workflow, as Argo's workflow controller runs it:
 * container and script templates run as pods `<workflow>-<template>-<fnv of
 * the node name>` owned by the Workflow, steps run group after group and a DAG
 * task once its dependencies succeeded. `spec.suspend` stops new steps from
 * starting; pods already running go on, as in Argo. The Workflow CRD has no
 * status subresource, so status is written with the object.
 */
/** Succeeded when every part did, Pending when none started, else Running. */
function progressOf(phases: string[]): Phase {
  if (phases.every(p => p === 'Succeeded')) return 'Succeeded';
  return phases.every(p => p === 'Pending') ? 'Pending' : 'Running';
}

export class WorkflowController extends Controller {
  readonly apiVersion = 'argoproj.io/v1alpha1';
  readonly kind = 'Workflow';

  protected reconcile(wf: KubeObject): void {
    const phaseNow = wf.status?.phase as Phase | undefined;
    if (phaseNow && done(phaseNow)) return;
    const now = isoTime(this.ctx.clock);
    const name = wf.metadata.name!;
    const templates = new Map<string, Template>(((wf.spec?.templates ?? []) as Template[]).map(t => [t.name, t]));
    const podType = this.store.typeFor('v1', 'Pod');
    const pods = new Map(this.ctx.children.of(wf.metadata.uid, 'Pod').map(p => [p.metadata.name!, p]));
    const suspended = Boolean(wf.spec?.suspend);
    const oldNodes: Record<string, NodeStatus> = wf.status?.nodes ?? {};
    const nodes: Record<string, NodeStatus> = {};
    const nodeId = (nodeName: string) => (nodeName === name ? name : `${name}-${fnv32a(nodeName)}`);

    const record = (node: Omit<NodeStatus, 'id' | 'startedAt' | 'finishedAt'>): Phase => {
      const id = nodeId(node.name);
      const old = oldNodes[id];
      nodes[id] = {
        ...node,
        id,
        ...(node.phase !== 'Pending' || old?.startedAt ? { startedAt: old?.startedAt ?? now } : {}),
        ...(done(node.phase) ? { finishedAt: old?.finishedAt ?? now } : {}),
      };
      return node.phase;
    };

    const runPod = (tmpl: Template, nodeName: string, displayName: string, boundary?: Template): Phase => {
      const podName = `${name}-${tmpl.name}-${fnv32a(nodeName)}`;
      let pod = pods.get(podName);
      if (!pod) {
        if (suspended)
          return record({ name: nodeName, displayName, type: 'Pod', templateName: tmpl.name, phase: 'Pending' });
        pod = this.store.create(podType, this.podFor(wf, tmpl, boundary, podName, nodeName, nodeId(nodeName)));
      }
      const podPhase = (pod.status?.phase ?? 'Pending') as Phase;
      if (done(podPhase) && pod.metadata.labels?.[argoKeys.completed] !== 'true') {
        // Argo marks the pods of finished nodes so its informer can leave them out.
        this.store.update(podType, {
          ...pod,
          metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, [argoKeys.completed]: 'true' } },
        });
      }
      return record({ name: nodeName, displayName, type: 'Pod', templateName: tmpl.name, phase: podPhase });
    };

    const run = (templateName: string, nodeName: string, displayName: string, boundary?: Template): Phase => {
      const error = (message: string) =>
        record({ name: nodeName, displayName, type: 'Pod', templateName, phase: 'Error', message });
      const tmpl = templates.get(templateName);
      if (!tmpl) return error(`template ${templateName} not found`);
      if (tmpl.container || tmpl.script) return runPod(tmpl, nodeName, displayName, boundary);
      if (tmpl.steps) {
        let phase: Phase = 'Succeeded';
        for (let i = 0; i < tmpl.steps.length && phase === 'Succeeded'; i++) {
          const groupName = `${nodeName}[${i}]`;
          const results = tmpl.steps[i].map(step => run(step.template, `${groupName}.${step.name}`, step.name, tmpl));
          const groupPhase: Phase = results.some(failed) ? 'Failed' : progressOf(results);
          record({ name: groupName, displayName: `[${i}]`, type: 'StepGroup', templateName, phase: groupPhase });
          phase = groupPhase;
        }
        return record({ name: nodeName, displayName, type: 'Steps', templateName, phase });
      }
      if (tmpl.dag) {
        const results = new Map<string, Phase>();
        const tasks = tmpl.dag.tasks;
        // Tasks come in any order; visit until no task changes.
        for (let pass = 0; pass <= tasks.length; pass++) {
          for (const task of tasks) {
            if (results.has(task.name)) continue;
            const deps = (task.dependencies ?? []).map(d => results.get(d));
            if (deps.some(d => d === undefined)) continue;
            if (deps.some(d => d !== 'Succeeded')) {
              if (deps.every(d => d && done(d as Phase))) results.set(task.name, 'Omitted');
              continue;
            }
            results.set(task.name, run(task.template, `${nodeName}.${task.name}`, task.name, tmpl));
          }
        }
        const phases = tasks.map(t => results.get(t.name) ?? 'Pending');
        let phase: Phase = progressOf(phases);
        if (phases.some(failed)) phase = phases.every(p => done(p) || p === 'Omitted') ? 'Failed' : 'Running';
        return record({ name: nodeName, displayName, type: 'DAG', templateName, phase });
      }
      return error(`kube-sim does not run template ${templateName}: only container, script, steps and dag`);
    };

    const rootPhase = run(wf.spec?.entrypoint ?? '', name, name);
    let phase: Phase = 'Running';
    if (done(rootPhase)) phase = rootPhase === 'Succeeded' ? 'Succeeded' : 'Failed';
    const podNodes = Object.values(nodes).filter(n => n.type === 'Pod');
    const status = {
      ...wf.status,
      phase,
      startedAt: wf.status?.startedAt ?? now,
      ...(done(phase) ? { finishedAt: now } : {}),
      progress: `${podNodes.filter(n => n.phase === 'Succeeded').length}/${podNodes.length}`,
      nodes,
    };
    const labels = {
      ...wf.metadata.labels,
      [argoKeys.phase]: phase,
      ...(done(phase) ? { [argoKeys.completed]: 'true' } : {}),
    };
    if (
      JSON.stringify(status) === JSON.stringify(wf.status) &&
      JSON.stringify(labels) === JSON.stringify(wf.metadata.labels)
    ) {
      return;
    }
    this.store.update(this.type, { ...wf, metadata: { ...wf.metadata, labels }, status });
  }

  private podFor(
    wf: KubeObject,
    tmpl: Template,
    boundary: Template | undefined,
    podName: string,
    nodeName: string,
    nodeId: string,
  ): KubeObject {
    // Argo takes each of these from the template, else the enclosing steps or DAG, else the workflow.
    const scheduling = (key: keyof Scheduling) => {
      const set = (v: unknown) =>
        v !== undefined &&
        (!Array.isArray(v) || v.length > 0) &&
        (typeof v !== 'object' || Object.keys(v as object).length > 0);
      const value = [tmpl[key], boundary?.[key], wf.spec?.[key]].find(set);
      return value === undefined ? {} : { [key]: value };
    };
    // A script runs from a file Argo stages; the pod's container does not carry the source.
    const script = { ...tmpl.script };
    delete script.source;
    const main = tmpl.container ?? { command: ['sh'], args: ['/argo/staging/script'], ...script };
    const podMetadata = wf.spec?.podMetadata ?? {};
    return podFromTemplate(
      wf,
      {
        metadata: {
          labels: { ...podMetadata.labels, ...tmpl.metadata?.labels },
          annotations: { ...podMetadata.annotations, ...tmpl.metadata?.annotations },
        },
        spec: {
          restartPolicy: 'Never',
          ...scheduling('nodeSelector'),
          ...scheduling('tolerations'),
          ...scheduling('affinity'),
          containers: [{ ...main, name: 'main' }],
        },
      },
      {
        name: podName,
        labels: { [argoKeys.workflow]: wf.metadata.name!, [argoKeys.completed]: 'false' },
        annotations: { [argoKeys.nodeName]: nodeName, [argoKeys.nodeId]: nodeId },
      },
    );
  }
}
