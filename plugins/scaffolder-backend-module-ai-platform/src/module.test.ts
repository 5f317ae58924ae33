import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint, type TemplateAction } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleAiPlatform } from './module';

describe('scaffolderModuleAiPlatform', () => {
  it('adds the plan and submit actions to the scaffolder', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...actions: TemplateAction<any, any, any>[]) => added.push(...actions) },
        ],
      ],
      features: [scaffolderModuleAiPlatform],
    });
    expect(added.map(a => a.id).sort()).toEqual(['ai-platform:workload:plan', 'ai-platform:workload:submit']);
    // The zod schemas reach the scaffolder as JSON schema, which the template editor shows.
    expect(added[0].schema?.input).toMatchObject({
      type: 'object',
      properties: expect.objectContaining({ manifests: expect.anything() }),
    });
    await backend.stop();
  });
});
