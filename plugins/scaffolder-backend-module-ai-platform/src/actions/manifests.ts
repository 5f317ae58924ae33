import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as a template renders it. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/**
 * Kinds the platform queues and admits. Everything else a template renders
 * (PersistentVolumeClaim, ServiceAccount, NetworkPolicy, ScaledObject, ...)
 * is not a workload: the actions skip it and the template's GitOps repo or
 * `kubectl apply` creates it.
 */
export const queuedWorkloadKinds: ReadonlySet<string> = new Set([
  'Job',
  'JobSet',
  'PyTorchJob',
  'TrainJob',
  'RayJob',
  'LeaderWorkerSet',
  'InferenceService',
  'SparkApplication',
  'Workflow',
  'Deployment',
  'StatefulSet',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toManifest(value: unknown, position: string): KubernetesManifest {
  if (!isRecord(value)) {
    throw new InputError(
      `${position} is not a Kubernetes object; give a mapping with apiVersion, kind and metadata.name.`,
    );
  }
  const metadata = value.metadata;
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    throw new InputError(`${position} has no apiVersion or kind; every manifest needs both.`);
  }
  if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new InputError(
      `${position} (${value.kind}) has no metadata.name; the platform identifies workloads by name.`,
    );
  }
  return value as KubernetesManifest;
}

/**
 * Reads the `manifests` input of the actions: a multi-document YAML string,
 * one object, or a list of objects. Empty YAML documents are dropped.
 */
export function readManifests(input: unknown): KubernetesManifest[] {
  let values: unknown[];
  if (typeof input === 'string') {
    const documents = parseAllDocuments(input);
    values = [];
    documents.forEach((document, index) => {
      if (document.errors.length > 0) {
        throw new InputError(`YAML document ${index + 1} of manifests does not parse: ${document.errors[0].message}`);
      }
      const value = document.toJS();
      if (value !== null && value !== undefined) values.push(value);
    });
  } else if (Array.isArray(input)) {
    values = input;
  } else {
    values = [input];
  }
  return values.map((value, index) => toManifest(value, `Manifest ${index + 1}`));
}

/** The manifests the platform queues, in input order; fails when there are none. */
export function workloadManifests(manifests: KubernetesManifest[]): KubernetesManifest[] {
  const workloads = manifests.filter(m => queuedWorkloadKinds.has(m.kind));
  if (workloads.length === 0) {
    const kinds = manifests.map(m => m.kind).join(', ') || 'none';
    throw new InputError(
      `None of the manifests is a workload the platform queues (got: ${kinds}); include one of ${[
        ...queuedWorkloadKinds,
      ].join(', ')}.`,
    );
  }
  return workloads;
}

/** `Kind namespace/name`, for messages. */
export function describeManifest(manifest: KubernetesManifest): string {
  const namespace = manifest.metadata.namespace;
  return `${manifest.kind} ${namespace ? `${namespace}/` : ''}${manifest.metadata.name}`;
}

/**
 * The manifests of an action: `manifests` as given, or every .yaml/.yml file
 * of `manifestsDir` (inside the workspace), in name order.
 */
export async function loadManifests(
  input: { manifests?: unknown; manifestsDir?: string },
  workspacePath: string,
): Promise<KubernetesManifest[]> {
  if (input.manifests !== undefined) return readManifests(input.manifests);
  if (!input.manifestsDir) {
    throw new InputError(
      'Give the workload either as manifests (YAML or objects) or as manifestsDir (a directory of the workspace).',
    );
  }
  const dir = resolveSafeChildPath(workspacePath, input.manifestsDir);
  let files: string[];
  try {
    files = (await readdir(dir)).filter(f => /\.ya?ml$/.test(f)).sort();
  } catch {
    throw new InputError(
      `manifestsDir ${input.manifestsDir} is not a directory of the workspace; did fetch:template render it?`,
    );
  }
  const texts = await Promise.all(files.map(f => readFile(join(dir, f), 'utf8')));
  return readManifests(texts.join('\n---\n'));
}
