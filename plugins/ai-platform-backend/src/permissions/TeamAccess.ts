import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, type ResourcePermission } from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  type PermissionRule,
  type PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  aiPlatformAdminPermission,
  aiWorkloadCreatePermission,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { workloadRules } from './rules';

/** Who is calling, as far as workload access goes. */
export interface Caller {
  /** The user entity ref, or the service's subject (e.g. plugin:scaffolder). */
  actor: string;
  /** Lower-case names of the caller's teams (groups in the default namespace). */
  teams: Set<string>;
  /** Services and platform admins are not limited to their teams' workloads. */
  unrestricted: boolean;
  isAdmin: boolean;
}

/** How the plugin limits callers beyond what the permission policy says. */
export interface WorkloadAccessOptions {
  /**
   * When the policy allows a permission outright, still limit users to their
   * teams' workloads and queues. Default true.
   */
  teamScoped?: boolean;
  /** Groups (entity refs) whose members may act on every team's workloads, if the policy allows ai-platform.admin. */
  adminGroups?: string[];
}

/** A local ruleset of the workload rules, for evaluating conditional decisions in this plugin. */
export const workloadRuleset: PermissionRuleset<WorkloadSummary> = {
  getRuleByName(name) {
    const rule = Object.values(workloadRules).find(r => r.name === name);
    if (!rule) {
      throw new Error(
        `Unknown ai-platform workload permission rule ${name}; known: ${Object.values(workloadRules)
          .map(r => r.name)
          .join(', ')}`,
      );
    }
    return rule as unknown as PermissionRule<WorkloadSummary, unknown, string>;
  },
};

/**
 * Decides which workloads a caller may see and change, and which queues
 * they may submit to: the permission policy first (ALLOW, DENY or
 * conditions such as isWorkloadOwner), then, for an outright ALLOW, the
 * plugin's own rule that users act on their teams' workloads only.
 */
export class WorkloadAccess {
  private readonly isAllowedByConditions: ReturnType<typeof createConditionAuthorizer<WorkloadSummary>>;
  private readonly teamScoped: boolean;
  private readonly adminGroups: Set<string>;

  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      userInfo: UserInfoService;
      ruleset?: PermissionRuleset<WorkloadSummary>;
    } & WorkloadAccessOptions,
  ) {
    this.isAllowedByConditions = createConditionAuthorizer(deps.ruleset ?? workloadRuleset);
    this.teamScoped = deps.teamScoped ?? true;
    this.adminGroups = new Set((deps.adminGroups ?? []).map(g => g.toLocaleLowerCase('en-US')));
  }

  async caller(credentials: BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>): Promise<Caller> {
    if (credentials.principal.type === 'service') {
      return { actor: credentials.principal.subject, teams: new Set(), unrestricted: true, isAdmin: false };
    }
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(credentials);
    const refs = ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US'));
    const teams = new Set(refs.filter(r => r.startsWith('group:default/')).map(r => r.slice('group:default/'.length)));
    let isAdmin = false;
    if (refs.some(r => this.adminGroups.has(r))) {
      const [decision] = await this.deps.permissions.authorize([{ permission: aiPlatformAdminPermission }], {
        credentials,
      });
      isAdmin = decision.result === AuthorizeResult.ALLOW;
    }
    return {
      actor: credentials.principal.userEntityRef,
      teams,
      unrestricted: isAdmin || !this.teamScoped,
      isAdmin,
    };
  }

  /**
   * A predicate telling which workloads the caller holds `permission` on.
   * Throws NotAllowedError when the policy denies the permission outright.
   */
  async workloadPredicate(
    credentials: BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>,
    permission: ResourcePermission,
  ): Promise<(workload: WorkloadSummary) => boolean> {
    const [decision] = await this.deps.permissions.authorizeConditional([{ permission }], { credentials });
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `You do not hold the permission ${permission.name}; ask a platform admin to grant it in the permission policy.`,
      );
    }
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return workload => this.isAllowedByConditions(decision, workload);
    }
    const caller = await this.caller(credentials);
    if (caller.unrestricted) return () => true;
    return workload => ownedBy(workload.team, caller);
  }

  /** Throws NotAllowedError unless the policy allows submitting (and planning) workloads. */
  async assertMayCreate(
    credentials: BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>,
  ): Promise<void> {
    const [decision] = await this.deps.permissions.authorize([{ permission: aiWorkloadCreatePermission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You do not hold the permission ${aiWorkloadCreatePermission.name}; ask a platform admin to grant it in the permission policy.`,
      );
    }
  }

  /** Throws NotAllowedError unless the caller may submit to a LocalQueue of `team`. */
  async assertMaySubmit(
    credentials: BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>,
    queue: { cluster?: string; namespace: string; name: string; team?: string },
  ): Promise<Caller> {
    await this.assertMayCreate(credentials);
    const caller = await this.caller(credentials);
    if (!caller.unrestricted && !ownedBy(queue.team, caller)) {
      const where = `LocalQueue ${queue.namespace}/${queue.name}${queue.cluster ? ` on cluster ${queue.cluster}` : ''}`;
      const owner = queue.team
        ? `belongs to team ${queue.team}`
        : `belongs to no team (its namespace has no ai-platform.io/team label)`;
      const yours = caller.teams.size ? [...caller.teams].join(', ') : 'none';
      throw new NotAllowedError(
        `You may submit only to queues of your teams: ${where} ${owner}; your teams: ${yours}. Pick a queue in one of your teams' namespaces.`,
      );
    }
    return caller;
  }
}

function ownedBy(team: string | undefined, caller: Caller): boolean {
  return team !== undefined && caller.teams.has(team.toLocaleLowerCase('en-US'));
}
