import { join } from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import { createMockDirectory, mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { kubeconfigYaml, type KubeSim } from '@ai-platform/kube-sim';
import { aiPlatformPlugin } from '../plugin';

/** Users and their teams: alice is in group a, bob in group b. */
const teams: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/a'],
  'user:default/bob': ['user:default/bob', 'group:default/b'],
};

/** Authorization headers of alice (team a) and bob (team b). */
export const alice = mockCredentials.user.header('user:default/alice');
export const bob = mockCredentials.user.header('user:default/bob');

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const { userEntityRef } = credentials.principal as { userEntityRef: string };
    return { userEntityRef, ownershipEntityRefs: teams[userEntityRef] ?? [userEntityRef] };
  },
};

/**
 * The real plugin in a test backend, admitting on kube-sim's first cluster
 * (named gpu, through a kubeconfig file), with `aiPlatform` config on top
 * and users alice and bob. Call it inside a describe block (it makes a mock
 * directory for the kubeconfig).
 */
export function usePluginOnKubeSim() {
  const dir = createMockDirectory();
  return (sim: KubeSim, aiPlatform: Record<string, unknown>, features: BackendFeature[] = []) => {
    dir.addContent({ kubeconfig: kubeconfigYaml([{ name: 'gpu', url: sim.clusters[0].url }]) });
    return startTestBackend({
      features: [
        aiPlatformPlugin,
        ...features,
        mockServices.rootConfig.factory({
          data: {
            aiPlatform: {
              kubeconfig: join(dir.path, 'kubeconfig'),
              clusters: { gpu: { mode: 'admit' } },
              metrics: { pollInterval: { seconds: 60 } },
              ...aiPlatform,
            },
          },
        }),
        createServiceFactory({ service: coreServices.userInfo, deps: {}, factory: () => userInfo }),
      ],
    });
  };
}
