import type { KubeObject, ResourceType } from '../store/types';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
  cell(object: KubeObject, now: number): string | number;
}

/** How much of each object a Table row carries (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Kubernetes' short human duration: 45s, 12m, 5h, 3d, 2y. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

const nameColumn: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  cell: o => o.metadata.name ?? '',
};

const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is the time the object was created.',
  priority: 0,
  cell: (o, now) =>
    o.metadata.creationTimestamp ? shortHumanDuration(now - Date.parse(o.metadata.creationTimestamp)) : '<unknown>',
};

function text(name: string, description: string, cell: Column['cell'], priority = 0): Column {
  return { name, type: 'string', description, priority, cell };
}

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  for (const s of statuses) {
    const reason = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
    if (reason) return reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

function conditionStatus(object: KubeObject, type: string, whenTrue: string, whenOther: string): string {
  const conditions: Array<{ type: string; status: string }> = object.status?.conditions ?? [];
  return conditions.some(c => c.type === type && c.status === 'True') ? whenTrue : whenOther;
}

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

const COLUMNS_BY_KIND: Record<string, Column[]> = {
  '/Pod': [
    nameColumn,
    text('Ready', 'The number of ready containers out of all containers.', p => {
      const statuses: ContainerStatus[] = p.status?.containerStatuses ?? [];
      return `${statuses.filter(s => s.ready).length}/${(p.spec?.containers ?? []).length}`;
    }),
    text('Status', 'The aggregate state of the pod.', podStatus),
    {
      ...text('Restarts', 'The number of container restarts.', p =>
        ((p.status?.containerStatuses ?? []) as ContainerStatus[]).reduce((n, s) => n + (s.restartCount ?? 0), 0),
      ),
      type: 'integer',
    },
    ageColumn,
    text('IP', 'The pod IP.', p => p.status?.podIP ?? '<none>', 1),
    text('Node', 'The node the pod is bound to.', p => p.spec?.nodeName ?? '<none>', 1),
  ],
  '/Node': [
    nameColumn,
    text('Status', 'Whether the node is Ready.', n => conditionStatus(n, 'Ready', 'Ready', 'NotReady')),
    text('Roles', 'The node-role.kubernetes.io labels.', n => {
      const roles = Object.keys(n.metadata.labels ?? {})
        .filter(l => l.startsWith(NODE_ROLE_PREFIX))
        .map(l => l.slice(NODE_ROLE_PREFIX.length));
      return roles.length ? roles.join(',') : '<none>';
    }),
    ageColumn,
    text('Version', 'The kubelet version.', n => n.status?.nodeInfo?.kubeletVersion ?? ''),
  ],
  '/Event': [
    text('Last Seen', 'When the event last happened.', (e, now) => {
      const last = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
      return typeof last === 'string' ? shortHumanDuration(now - Date.parse(last)) : '<unknown>';
    }),
    text('Type', 'Normal or Warning.', e => String(e.type ?? '')),
    text('Reason', 'Why the event happened.', e => String(e.reason ?? '')),
    text('Object', 'The object the event is about.', e => {
      const o = (e.involvedObject ?? {}) as { kind?: string; name?: string };
      return `${(o.kind ?? '').toLowerCase()}/${o.name ?? ''}`;
    }),
    text('Message', 'What happened.', e => String(e.message ?? '')),
  ],
  '/Namespace': [nameColumn, text('Status', 'The namespace phase.', n => n.status?.phase ?? 'Active'), ageColumn],
  'batch/Job': [
    nameColumn,
    text(
      'Completions',
      'Succeeded out of desired completions.',
      j => `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`,
    ),
    ageColumn,
  ],
  'apps/Deployment': [
    nameColumn,
    text('Ready', 'Ready out of desired replicas.', d => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`),
    ageColumn,
  ],
};

function columnsFor(type: ResourceType): Column[] {
  return COLUMNS_BY_KIND[`${type.group}/${type.kind}`] ?? [nameColumn, ageColumn];
}

function rowObject(object: KubeObject, include: IncludeObject) {
  if (include === 'Object') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata,
  };
}

/** A meta.k8s.io/v1 Table, as `kubectl get` asks for with `Accept: application/json;as=Table;...`. */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  include: IncludeObject,
  listMeta: {
    resourceVersion?: string;
    continue?: string;
    remainingItemCount?: number;
  } = {},
) {
  const columns = columnsFor(type);
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map(({ cell: _cell, ...definition }) => ({
      format: '',
      ...definition,
    })),
    rows: objects.map(object => ({
      cells: columns.map(c => c.cell(object, now)),
      ...(include === 'None' ? {} : { object: rowObject(object, include) }),
    })),
  };
}
