import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, type BasicPermission, type ResourcePermission } from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  type PermissionRule,
  type PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  aiCostReadPermission,
  aiPlatformAdminPermission,
  aiWorkloadCreatePermission,
  labels,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import { teamOfGroupRef, workloadRules } from './rules';

/** A user or a service calling the plugin. */
export type Credentials = BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>;

/** Who is calling, as far as team access goes. */
export interface Caller {
  /** The user entity ref, or the service's subject (e.g. plugin:scaffolder). */
  actor: string;
  /** Lower-case names of the caller's teams (their groups in the default namespace). */
  teams: Set<string>;
  /** Services, platform admins and (with teamScoped false) everyone are not limited to their teams. */
  unrestricted: boolean;
  isAdmin: boolean;
}

/** How the plugin limits callers beyond what the permission policy says. */
export interface TeamAccessOptions {
  /**
   * When the policy allows a permission outright, still limit users to their
   * teams' workloads, queues and costs. Default true.
   */
  teamScoped?: boolean;
  /** Groups (entity refs) whose members see and act on every team's workloads and costs, if the policy allows ai-platform.admin. */
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

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * Decides who may see and change what, for workloads and costs alike: the
 * permission policy first (ALLOW, DENY or conditions such as
 * isWorkloadOwner), then, for an outright ALLOW, the plugin's own rule that
 * users see and act on their teams' things only. A team is a Group in the
 * default namespace whose name is the `ai-platform.io/team` label; a group of
 * that name in another namespace is another group and grants nothing.
 */
export class TeamAccess {
  private readonly isAllowedByConditions: ReturnType<typeof createConditionAuthorizer<WorkloadSummary>>;
  private readonly teamScoped: boolean;
  private readonly adminGroups: Set<string>;

  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      userInfo: UserInfoService;
      ruleset?: PermissionRuleset<WorkloadSummary>;
    } & TeamAccessOptions,
  ) {
    this.isAllowedByConditions = createConditionAuthorizer(deps.ruleset ?? workloadRuleset);
    this.teamScoped = deps.teamScoped ?? true;
    this.adminGroups = new Set((deps.adminGroups ?? []).map(lower));
  }

  async caller(credentials: Credentials): Promise<Caller> {
    if (credentials.principal.type === 'service') {
      return { actor: credentials.principal.subject, teams: new Set(), unrestricted: true, isAdmin: false };
    }
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(credentials);
    const refs = ownershipEntityRefs.map(lower);
    const teams = new Set(refs.map(teamOfGroupRef).filter((t): t is string => t !== undefined));
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
   * Throws NotAllowedError when the policy denies the permission outright,
   * or when a team-scoped user belongs to no team (they could see nothing).
   */
  async workloadPredicate(
    credentials: Credentials,
    permission: ResourcePermission,
  ): Promise<(workload: WorkloadSummary) => boolean> {
    const [decision] = await this.deps.permissions.authorizeConditional([{ permission }], { credentials });
    if (decision.result === AuthorizeResult.DENY) throw missingPermission(permission);
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return workload => this.isAllowedByConditions(decision, workload);
    }
    const caller = await this.caller(credentials);
    if (caller.unrestricted) return () => true;
    assertInATeam(caller);
    return workload => ownedBy(workload.team, caller);
  }

  /**
   * The teams whose costs the caller may see; undefined: every team.
   * Throws NotAllowedError without ai-platform.cost.read, or for a
   * team-scoped user in no team.
   */
  async costTeams(credentials: Credentials): Promise<Set<string> | undefined> {
    const [read] = await this.deps.permissions.authorize([{ permission: aiCostReadPermission }], { credentials });
    if (read.result !== AuthorizeResult.ALLOW) throw missingPermission(aiCostReadPermission);
    const caller = await this.caller(credentials);
    if (caller.unrestricted) return undefined;
    assertInATeam(caller);
    return caller.teams;
  }

  /** Throws NotAllowedError unless the policy allows submitting (and planning) workloads. */
  async assertMayCreate(credentials: Credentials): Promise<void> {
    const [decision] = await this.deps.permissions.authorize([{ permission: aiWorkloadCreatePermission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) throw missingPermission(aiWorkloadCreatePermission);
  }

  /** Throws NotAllowedError unless the caller may submit to a LocalQueue of `team`. */
  async assertMaySubmit(
    credentials: Credentials,
    queue: { cluster?: string; namespace: string; name: string; team?: string },
  ): Promise<Caller> {
    await this.assertMayCreate(credentials);
    const caller = await this.caller(credentials);
    if (!caller.unrestricted && !ownedBy(queue.team, caller)) {
      const where = `LocalQueue ${queue.namespace}/${queue.name}${queue.cluster ? ` on cluster ${queue.cluster}` : ''}`;
      const owner = queue.team
        ? `belongs to team ${queue.team}`
        : `belongs to no team (its namespace has no ${labels.team} label)`;
      throw new NotAllowedError(
        `You may submit only to queues of your teams: ${where} ${owner}; your teams: ${teamList(
          caller,
        )}. Pick a queue in one of your teams' namespaces.`,
      );
    }
    return caller;
  }
}

/** The caller's teams for messages: "team-a, team-b" or "none". */
export function teamList(caller: Pick<Caller, 'teams'>): string {
  return caller.teams.size ? [...caller.teams].join(', ') : 'none';
}

/** Whether `team` is one of the caller's teams. */
export function ownedBy(team: string | undefined, caller: Pick<Caller, 'teams'>): boolean {
  return team !== undefined && caller.teams.has(lower(team));
}

function missingPermission(permission: BasicPermission | ResourcePermission) {
  return new NotAllowedError(
    `You do not hold the permission ${permission.name}; ask a platform admin to grant it in the permission policy.`,
  );
}

function assertInATeam(caller: Caller) {
  if (caller.teams.size > 0) return;
  throw new NotAllowedError(
    `${caller.actor} belongs to no team, so there is nothing of a team to show: a team is a catalog Group in the ` +
      `default namespace (group:default/<team>) whose name is the ${labels.team} label of the team's namespaces. ` +
      'Add the user to such a group (spec.members or the user memberOf), or ask a platform admin to add you to one of aiPlatform.permissions.adminGroups.',
  );
}
