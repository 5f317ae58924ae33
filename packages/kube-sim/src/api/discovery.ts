import type { ResourceType } from '../store/types';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Resources `kubectl get all` shows, as in Kubernetes. */
const IN_CATEGORY_ALL = new Set([
  '/pods',
  '/services',
  'apps/deployments',
  'apps/statefulsets',
  'apps/replicasets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  'autoscaling/horizontalpodautoscalers',
]);

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
function versionRank(version: string): [number, number, number] {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return [0, 0, 0];
  const stability = { alpha: 1, beta: 2 }[m[2] ?? ''] ?? 3;
  return [stability, Number(m[1]), Number(m[3] ?? 0)];
}

function byPriority(a: string, b: string): number {
  const [x, y] = [versionRank(a), versionRank(b)];
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
}

/** Answers the discovery documents (/api, /apis, /apis/<group>, /<group-version>) for a set of types. */
export class Discovery {
  private readonly groups = new Map<string, string[]>();

  constructor(private readonly types: ResourceType[]) {
    for (const type of types) {
      const versions = this.groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      this.groups.set(type.group, versions);
    }
    for (const versions of this.groups.values()) versions.sort(byPriority);
  }

  typesIn(group: string, version: string): ResourceType[] {
    return this.types.filter(t => t.group === group && t.version === version);
  }

  apiVersions(serverAddress: string) {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  group(name: string) {
    const versions = this.groups.get(name);
    if (!versions || name === '') return undefined;
    const entries = versions.map(version => ({
      groupVersion: `${name}/${version}`,
      version,
    }));
    return {
      kind: 'APIGroup',
      apiVersion: 'v1',
      name,
      versions: entries,
      preferredVersion: entries[0],
    };
  }

  groupList() {
    const groups = [...this.groups.keys()]
      .filter(g => g !== '')
      .map(g => {
        const { kind: _kind, apiVersion: _apiVersion, ...group } = this.group(g)!;
        return group;
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  resourceList(group: string, version: string) {
    const types = this.typesIn(group, version);
    if (types.length === 0) return undefined;
    const resources = types.flatMap(t => {
      const main = {
        name: t.plural,
        singularName: t.singular ?? t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: VERBS,
        ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
        ...(IN_CATEGORY_ALL.has(`${t.group}/${t.plural}`) ? { categories: ['all'] } : {}),
      };
      if (!t.hasStatus) return [main];
      return [
        main,
        {
          name: `${t.plural}/status`,
          singularName: '',
          namespaced: t.namespaced,
          kind: t.kind,
          verbs: ['get', 'patch', 'update'],
        },
      ];
    });
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    };
  }

  /** Path of a group version under /openapi/v3 and in discovery: 'api/v1' or 'apis/<group>/<version>'. */
  private static groupVersionPath(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  /** '/apis/<group>' and '/apis/<group>/<version>' for every served group, as the root document lists them. */
  groupVersionPaths(): string[] {
    return [...this.groups]
      .filter(([g]) => g !== '')
      .flatMap(([g, versions]) => [`/apis/${g}`, ...versions.map(v => `/apis/${g}/${v}`)]);
  }

  /** The /openapi/v3 index: one document per served group version. */
  openApiV3Root() {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [group, versions] of this.groups) {
      for (const version of versions) {
        const path = Discovery.groupVersionPath(group, version);
        paths[path] = {
          serverRelativeURL: `/openapi/v3/${path}?hash=kube-sim-1`,
        };
      }
    }
    return { paths };
  }

  /**
   * A minimal OpenAPI v3 document for one group version. It carries no schemas: only the PATCH
   * operations with their group-version-kind and the `fieldValidation` parameter, which tells
   * kubectl to leave validation to the server instead of downloading schemas (kube-sim is lenient).
   * Without a strategic-merge request body kubectl apply computes patches from its built-in types.
   */
  openApiV3GroupVersion(group: string, version: string) {
    const types = this.typesIn(group, version);
    if (types.length === 0) return undefined;
    const prefix = `/${Discovery.groupVersionPath(group, version)}`;
    const paths: Record<string, unknown> = {};
    for (const t of types) {
      const item = t.namespaced
        ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}`
        : `${prefix}/${t.plural}/{name}`;
      paths[item] = {
        patch: {
          operationId: `patch${t.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': { group, version, kind: t.kind },
          parameters: [
            { name: 'dryRun', in: 'query', schema: { type: 'string' } },
            {
              name: 'fieldValidation',
              in: 'query',
              schema: { type: 'string' },
            },
          ],
          responses: { '200': { description: 'OK' } },
        },
      };
    }
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes (kube-sim)', version: 'unversioned' },
      paths,
    };
  }
}
