import { mockServices } from '@backstage/backend-test-utils';
import { readAiPlatformProviderConfig } from './config';

describe('readAiPlatformProviderConfig', () => {
  it('links workloads to the shipped runbooks entity unless aiPlatform.runbooks.entityRef names another', () => {
    const config = (data: object) => readAiPlatformProviderConfig(mockServices.rootConfig({ data }));
    expect(config({}).runbookEntityRef).toBe('component:default/ai-platform-runbooks');
    expect(config({ aiPlatform: { runbooks: { entityRef: 'gpu-runbooks' } } }).runbookEntityRef).toBe(
      'component:default/gpu-runbooks',
    );
  });

  it('says how to write aiPlatform.runbooks.entityRef when it is not an entity reference', () => {
    expect(() =>
      readAiPlatformProviderConfig(
        mockServices.rootConfig({ data: { aiPlatform: { runbooks: { entityRef: 'component:' } } } }),
      ),
    ).toThrow(
      /aiPlatform\.runbooks\.entityRef must be an entity reference such as component:default\/ai-platform-runbooks, got "component:"/,
    );
  });
});
