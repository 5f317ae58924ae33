import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPlanWorkloadAction } from './actions/planAction';
import { createSubmitWorkloadAction } from './actions/submitAction';

/** Adds the `ai-platform:workload:*` actions to the scaffolder. */
export const scaffolderModuleAiPlatform = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ai-platform',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(
          createPlanWorkloadAction({ discovery, auth }),
          createSubmitWorkloadAction({ discovery, auth }),
        );
      },
    });
  },
});
