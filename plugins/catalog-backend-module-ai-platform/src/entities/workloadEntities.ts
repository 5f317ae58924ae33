import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import {
  annotations,
  defaultRunbookEntityRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { entityNameFor } from './names';
import { ownerFor, type MappingContext } from './owner';
import { locationFor, moduleAnnotations, platformEntityNames, resourceRef } from './refs';

const finishedStates = new Set(['Succeeded', 'Failed', 'Cancelled']);

/** Pod label that selects a workload's pods, per Kubernetes kind (what the controllers set). */
const podSelectorLabels: Record<string, string> = {
  Job: 'batch.kubernetes.io/job-name',
  JobSet: 'jobset.sigs.k8s.io/jobset-name',
  TrainJob: 'jobset.sigs.k8s.io/jobset-name',
  PyTorchJob: 'training.kubeflow.org/job-name',
  InferenceService: 'serving.kserve.io/inferenceservice',
};

/** `<cluster>/<namespace>/<kind>/<name>`, the form the frontend's workload card reads. */
export const workloadKey = (w: Pick<WorkloadSummary, 'cluster' | 'namespace' | 'kind' | 'name'>) =>
  `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`;

/**
 * Whether a workload gets its own catalog entity: runs of a component that
 * exists elsewhere in the catalog (entityRef set) do not, nor do workloads
 * that finished longer ago than the retention.
 */
export function isCatalogued(workload: WorkloadSummary, context: MappingContext): boolean {
  if (workload.entityRef && (!context.componentsElsewhere || context.componentsElsewhere.has(workload.entityRef))) {
    return false;
  }
  if (finishedStates.has(workload.state) && workload.finishedAt) {
    const finished = Date.parse(workload.finishedAt);
    if (!Number.isNaN(finished) && context.now().getTime() - finished > context.retentionMs) {
      return false;
    }
  }
  return true;
}

function isNotebook(workload: WorkloadSummary): boolean {
  return /notebook/i.test(workload.kind);
}

/** Model servers speak OpenAI-compatible HTTP unless a pod set or the name says gRPC. */
function apiTypeOf(workload: WorkloadSummary): 'openai' | 'grpc' {
  const hints = [workload.name, ...workload.podSets.map(p => p.name)];
  return hints.some(h => /(^|-)grpc($|-)/.test(h)) ? 'grpc' : 'openai';
}

/** The cluster-local address KServe gives an InferenceService. */
function modelServerUrl(workload: WorkloadSummary, type: 'openai' | 'grpc'): string {
  const host = `${workload.name}.${workload.namespace}.svc.cluster.local`;
  return type === 'grpc' ? `grpc://${host}:9000` : `http://${host}`;
}

function apiDefinition(workload: WorkloadSummary, type: 'openai' | 'grpc', url: string): string {
  if (type === 'grpc') {
    return [
      `// Model server ${workloadKey(workload)} (KServe open inference protocol v2), at ${url}`,
      'syntax = "proto3";',
      'package inference;',
      'service GRPCInferenceService {',
      '  rpc ServerLive(ServerLiveRequest) returns (ServerLiveResponse) {}',
      '  rpc ModelMetadata(ModelMetadataRequest) returns (ModelMetadataResponse) {}',
      '  rpc ModelInfer(ModelInferRequest) returns (ModelInferResponse) {}',
      '}',
      '',
    ].join('\n');
  }
  return [
    'openapi: 3.0.3',
    'info:',
    `  title: ${workload.name} model server`,
    `  description: OpenAI-compatible API of the model server ${workloadKey(workload)}, serving model "${
      workload.name
    }".`,
    '  version: v1',
    'servers:',
    `  - url: ${url}`,
    'paths:',
    '  /v1/models:',
    '    get:',
    '      summary: Lists the models this server serves',
    "      responses: { '200': { description: The models } }",
    '  /v1/chat/completions:',
    '    post:',
    '      summary: Creates a chat completion',
    "      responses: { '200': { description: The completion } }",
    '',
  ].join('\n');
}

function componentFor(workload: WorkloadSummary, name: string, context: MappingContext): Entity[] {
  const key = workloadKey(workload);
  const { owner, unresolved } = ownerFor(workload.team, `workload ${key}`, context);
  const location = locationFor(workload.cluster);
  const common: Record<string, string> = {
    [moduleAnnotations.managedByLocation]: location,
    [moduleAnnotations.managedByOriginLocation]: location,
    [annotations.cluster]: workload.cluster,
    ...(unresolved ? { [moduleAnnotations.ownerUnresolved]: 'true' } : {}),
  };
  const selectorLabel = podSelectorLabels[workload.kind] ?? annotations.kubernetesId;
  const componentAnnotations: Record<string, string> = {
    ...common,
    [annotations.kubernetesId]: workload.name,
    [moduleAnnotations.kubernetesLabelSelector]: `${selectorLabel}=${workload.name}`,
    [annotations.kubernetesNamespace]: workload.namespace,
    [annotations.kubernetesCluster]: workload.cluster,
    [annotations.workload]: key,
    [moduleAnnotations.workloadState]: workload.state,
    [moduleAnnotations.techdocsEntity]: context.runbookEntityRef ?? defaultRunbookEntityRef,
    ...(workload.queue ? { [annotations.queue]: workload.queue } : {}),
    ...(workload.clusterQueue ? { [moduleAnnotations.clusterQueue]: workload.clusterQueue } : {}),
  };
  const dependsOn = workload.queue
    ? [resourceRef(platformEntityNames.localQueue(workload.cluster, workload.namespace, workload.queue))]
    : [];
  const entities: Entity[] = [];
  const component: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      // The workload's own name, short enough for one line of the catalog table; where it
      // runs is in the description (and the cluster annotation, namespace and queue).
      title: workload.name,
      description: `${workload.kind} in ${workload.namespace} on ${workload.cluster}`,
      annotations: componentAnnotations,
      tags: [workload.entityType],
    },
    spec: {
      type: workload.entityType,
      lifecycle: isNotebook(workload) ? 'experimental' : 'production',
      owner,
      ...(dependsOn.length ? { dependsOn } : {}),
    },
  };
  entities.push(component);
  if (workload.entityType === 'inference-service') {
    const type = apiTypeOf(workload);
    const url = modelServerUrl(workload, type);
    component.spec!.providesApis = [`api:default/${name}`];
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name,
        namespace: 'default',
        title: `${workload.name} model API`,
        description: `API of the model server ${key}`,
        annotations: {
          ...common,
          [annotations.workload]: key,
          [moduleAnnotations.modelServerType]: type === 'grpc' ? 'kserve-v2-grpc' : 'openai-v1',
          [moduleAnnotations.modelServerUrl]: url,
          [moduleAnnotations.models]: workload.name,
        },
      },
      spec: { type, lifecycle: 'production', owner, definition: apiDefinition(workload, type, url) },
    });
  }
  return entities;
}

/**
 * The Component (and for inference services the API) entities of the
 * workloads that get their own entity. Two workloads that differ only in kind
 * get names that include the kind.
 */
export function workloadEntities(workloads: WorkloadSummary[], context: MappingContext): Entity[] {
  const catalogued = workloads.filter(w => isCatalogued(w, context) && !w.entityRef);
  // A workload naming a component nobody registered (a template run without a git host) gets
  // that component, from its newest run.
  const newestRun = new Map<string, WorkloadSummary>();
  for (const w of workloads) {
    if (!w.entityRef || !isCatalogued(w, context)) continue;
    const known = newestRun.get(w.entityRef);
    if (!known || known.createdAt < w.createdAt) newestRun.set(w.entityRef, w);
  }
  const named = [...newestRun].flatMap(([ref, w]) => componentFor(w, parseEntityRef(ref).name, context));
  const baseName = (w: WorkloadSummary) => platformEntityNames.workload(w.cluster, w.namespace, w.name);
  const seen = new Map<string, number>();
  for (const w of catalogued) {
    seen.set(baseName(w), (seen.get(baseName(w)) ?? 0) + 1);
  }
  return [
    ...named,
    ...catalogued.flatMap(w => {
      const name =
        seen.get(baseName(w))! > 1 ? entityNameFor(w.cluster, w.namespace, w.name, w.kind.toLowerCase()) : baseName(w);
      return componentFor(w, name, context);
    }),
  ];
}
