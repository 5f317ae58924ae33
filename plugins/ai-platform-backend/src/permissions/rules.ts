import {
  createConditionExports,
  createPermissionResourceRef,
  type PermissionRule,
} from '@backstage/plugin-permission-node';
import {
  AI_WORKLOAD_RESOURCE_TYPE,
  type WorkloadRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadFilter } from '../services/WorkloadService';

/** The group entity ref that owns a workload of this team. */
export const teamGroupRef = (team: string) => `group:default/${team}`.toLocaleLowerCase('en-US');

/** The team a group entity ref stands for (lower case); undefined for refs that are not groups of the default namespace. */
export function teamOfGroupRef(ref: string): string | undefined {
  const lower = ref.toLocaleLowerCase('en-US');
  return lower.startsWith('group:default/') ? lower.slice('group:default/'.length) : undefined;
}

/** Workload resources of the ai-platform plugin, for permission rules and policies. */
export const workloadResourceRef = createPermissionResourceRef<WorkloadSummary, WorkloadFilter>().with({
  pluginId: 'ai-platform',
  resourceType: AI_WORKLOAD_RESOURCE_TYPE,
});

type ClaimsParams = { claims: string[] };

const claimsJsonSchema = {
  type: 'object',
  properties: {
    claims: {
      type: 'array',
      items: { type: 'string' },
      description: 'Ownership entity refs of the user, e.g. group:default/team-a',
    },
  },
  required: ['claims'],
  additionalProperties: false,
};

/** The rule's parameters as a Standard Schema with its JSON Schema, as the permission framework asks. */
const claimsSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'ai-platform',
    validate: (value: unknown) => {
      const claims = (value as Partial<ClaimsParams> | null)?.claims;
      return Array.isArray(claims) && claims.every(c => typeof c === 'string')
        ? { value: { claims } }
        : { issues: [{ message: 'claims must be an array of entity refs (strings)', path: ['claims'] }] };
    },
    jsonSchema: { input: () => claimsJsonSchema, output: () => claimsJsonSchema },
  },
};

/** The isWorkloadOwner rule's type. */
export type WorkloadOwnerRule = PermissionRule<
  WorkloadSummary,
  WorkloadFilter,
  typeof AI_WORKLOAD_RESOURCE_TYPE,
  ClaimsParams
>;

/** Allows a workload when its team's group is one of the claims (the user's ownership refs). */
export const isWorkloadOwner: WorkloadOwnerRule = {
  name: 'IS_WORKLOAD_OWNER',
  description: 'Allow workloads whose team (ai-platform.io/team) is a group among the given claims',
  resourceType: AI_WORKLOAD_RESOURCE_TYPE,
  paramsSchema: claimsSchema,
  apply: (workload, { claims }) => {
    if (!workload.team) return false;
    const owner = teamGroupRef(workload.team);
    return claims.some(claim => claim.toLocaleLowerCase('en-US') === owner);
  },
  toQuery: ({ claims }) => {
    const teams: WorkloadFilter[] = claims
      .map(teamOfGroupRef)
      .filter((team): team is string => team !== undefined)
      .map(team => ({ team }));
    // No team claims: nothing is owned (an empty filter matches all, its negation none).
    if (teams.length === 0) return { not: {} };
    return teams.length === 1 ? teams[0] : { anyOf: [teams[0], ...teams.slice(1)] };
  },
};

/** Every rule of the workload resource type. */
export const workloadRules: { isWorkloadOwner: WorkloadOwnerRule } = { isWorkloadOwner };

/** Conditions for permission policies: `aiWorkloadConditions.isWorkloadOwner({ claims })`. */
export const { conditions: aiWorkloadConditions, createConditionalDecision: createAiWorkloadConditionalDecision } =
  createConditionExports<typeof AI_WORKLOAD_RESOURCE_TYPE, WorkloadSummary, typeof workloadRules>({
    resourceRef: workloadResourceRef,
    rules: workloadRules,
  });

/** The permission framework's resource ref of a workload: `cluster/namespace/kind/name`. */
export const workloadResourceId = (ref: WorkloadRef) =>
  [ref.cluster, ref.namespace, ref.kind, ref.name].map(encodeURIComponent).join('/');

/** Parses a resource ref made by {@link workloadResourceId}; undefined when malformed. */
export function parseWorkloadResourceId(id: string): WorkloadRef | undefined {
  const parts = id.split('/');
  if (parts.length !== 4 || parts.some(p => !p)) return undefined;
  const [cluster, namespace, kind, name] = parts.map(decodeURIComponent);
  return { cluster, namespace, kind, name };
}
