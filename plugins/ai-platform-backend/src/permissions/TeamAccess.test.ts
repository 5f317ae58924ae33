import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { aiWorkloadReadPermission, type WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { TeamAccess, type TeamAccessOptions } from './TeamAccess';

const workloadOf = (team: string) => ({ name: `train-${team}`, team } as WorkloadSummary);

/** A user with these ownership refs, under a policy that allows everything but (optionally) ai-platform.admin. */
function accessFor(ownership: string[], options: TeamAccessOptions & { adminAllowed?: boolean } = {}) {
  const allowAll = mockServices.permissions();
  const permissions: PermissionsService = {
    authorizeConditional: (requests, o) => allowAll.authorizeConditional(requests, o),
    async authorize(requests) {
      return requests.map(r => ({
        result:
          r.permission.name === 'ai-platform.admin' && options.adminAllowed === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    },
  };
  const access = new TeamAccess({
    permissions,
    userInfo: mockServices.userInfo({ ownershipEntityRefs: ownership }),
    ...options,
  });
  return { access, credentials: mockCredentials.user('user:default/dana') };
}

async function sees(ownership: string[], options?: TeamAccessOptions & { adminAllowed?: boolean }) {
  const { access, credentials } = accessFor(ownership, options);
  const mayRead = await access.workloadPredicate(credentials, aiWorkloadReadPermission);
  const costTeams = await access.costTeams(credentials);
  return {
    workloads: ['team-a', 'team-b'].filter(t => mayRead(workloadOf(t))),
    costs: costTeams ? [...costTeams] : 'every team',
  };
}

describe('TeamAccess', () => {
  it('gives workloads and costs of the same teams: groups in the default namespace, whatever their case', async () => {
    expect(await sees(['user:default/dana', 'group:default/Team-A'])).toEqual({
      workloads: ['team-a'],
      costs: ['team-a'],
    });
  });

  it('grants nothing for a group of the same name in another namespace, to workloads and costs alike', async () => {
    const { access, credentials } = accessFor(['user:default/dana', 'group:ops/team-a']);
    const message = /belongs to no team.*group:default\/<team>/;
    await expect(access.workloadPredicate(credentials, aiWorkloadReadPermission)).rejects.toThrow(message);
    await expect(access.costTeams(credentials)).rejects.toThrow(message);
    expect(await sees(['group:ops/team-a', 'group:default/team-b'])).toEqual({
      workloads: ['team-b'],
      costs: ['team-b'],
    });
  });

  it('lets members of an admin group see every team, for workloads and costs, when the policy allows ai-platform.admin', async () => {
    const admin = ['user:default/dana', 'group:default/platform-admins'];
    expect(await sees(admin, { adminGroups: ['group:default/Platform-Admins'] })).toEqual({
      workloads: ['team-a', 'team-b'],
      costs: 'every team',
    });
    // Without the policy's admin permission they are a team like any other.
    expect(await sees(admin, { adminGroups: ['group:default/platform-admins'], adminAllowed: false })).toEqual({
      workloads: [],
      costs: ['platform-admins'],
    });
    // An admin group in another namespace is another group.
    expect(
      await sees(['group:ops/platform-admins', 'group:default/team-a'], {
        adminGroups: ['group:default/platform-admins'],
      }),
    ).toEqual({
      workloads: ['team-a'],
      costs: ['team-a'],
    });
  });

  it('does not limit anyone to their teams with teamScoped false', async () => {
    expect(await sees(['user:default/dana'], { teamScoped: false })).toEqual({
      workloads: ['team-a', 'team-b'],
      costs: 'every team',
    });
  });
});
