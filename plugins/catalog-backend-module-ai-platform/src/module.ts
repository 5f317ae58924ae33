import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readAiPlatformProviderConfig } from './config';
import { AiPlatformEntityProvider } from './provider/AiPlatformEntityProvider';
import { aiPlatformBackendSource } from './source/aiPlatformBackendSource';

/** Catalog module that reads the AI platform backend's REST API into the catalog. */
export const catalogModuleAiPlatform = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ai-platform',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalogApi: catalogServiceRef,
      },
      async init({ catalog, config, logger, scheduler, discovery, auth, catalogApi }) {
        const providerConfig = readAiPlatformProviderConfig(config);
        catalog.addEntityProvider(
          new AiPlatformEntityProvider({
            source: aiPlatformBackendSource({ discovery, auth }),
            logger,
            config: providerConfig,
            componentsElsewhere: async refs => {
              const { items } = await catalogApi.getEntitiesByRefs(
                { entityRefs: refs, fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.annotations'] },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              return new Set(
                items
                  .filter(
                    e => e && !e.metadata.annotations?.['backstage.io/managed-by-location']?.startsWith('ai-platform:'),
                  )
                  .map(e => stringifyEntityRef(e!)),
              );
            },
            fullRunner: scheduler.createScheduledTaskRunner(providerConfig.schedule),
            deltaRunner: scheduler.createScheduledTaskRunner({
              frequency: providerConfig.deltaInterval,
              timeout: { minutes: 5 },
              initialDelay: providerConfig.deltaInterval,
              scope: 'local',
            }),
          }),
        );
      },
    });
  },
});
