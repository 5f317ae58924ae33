import { StoreError, type KubeObject, type ResourceType } from './types';

/**
 * What differs between kinds when the registry writes them, after kube-apiserver's
 * RESTCreateStrategy and RESTUpdateStrategy: everything else (names, uids, resourceVersions,
 * conflicts, finalizers) is the same for every kind and lives in the registry.
 */
export interface ResourceStrategy {
  /** Fills in what Kubernetes defaults on a new object. */
  prepareForCreate(object: KubeObject): void;
  /** Throws StoreError 422 Invalid when the object cannot be stored. */
  validate(type: ResourceType, object: KubeObject): void;
  /** Carries over what a write to the main resource may not change, and bumps generation on a new spec. */
  prepareForUpdate(type: ResourceType, next: KubeObject, old: KubeObject): void;
}

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const defaultStrategy: ResourceStrategy = {
  prepareForCreate() {},
  validate(type, object) {
    const name = object.metadata.name!;
    if (name.length > 253 || !NAME_PATTERN.test(name)) {
      throw new StoreError(
        422,
        'Invalid',
        `${type.kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      );
    }
  },
  prepareForUpdate(type, next, old) {
    // With a status subresource, status is written only through /status.
    if (type.hasStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
    if (JSON.stringify(old.spec) !== JSON.stringify(next.spec)) next.metadata.generation! += 1;
  },
};

/** A kind that Kubernetes starts in a phase when its creator sets none. */
function startsIn(phase: string): ResourceStrategy {
  return {
    ...defaultStrategy,
    prepareForCreate(object) {
      if (!object.status?.phase) object.status = { ...object.status, phase };
    },
  };
}

const strategies = new Map<string, ResourceStrategy>([
  ['/Pod', startsIn('Pending')],
  ['/Namespace', startsIn('Active')],
]);

/** The strategy of a served type (group and kind; every version alike). */
export function strategyFor(type: ResourceType): ResourceStrategy {
  return strategies.get(`${type.group}/${type.kind}`) ?? defaultStrategy;
}
