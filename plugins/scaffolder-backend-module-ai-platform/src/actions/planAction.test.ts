import { createMockDirectory, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeAiPlatformBackend } from './fakeAiPlatformBackend';
import { createPlanWorkloadAction } from './planAction';

const training = readFileSync(join(__dirname, '__fixtures__/training.yaml'), 'utf8');

describe('ai-platform:workload:plan', () => {
  const backend = new FakeAiPlatformBackend();
  let action: ReturnType<typeof createPlanWorkloadAction>;

  beforeAll(async () => {
    const baseUrl = await backend.start();
    action = createPlanWorkloadAction({
      discovery: mockServices.discovery.mock({ getBaseUrl: async () => baseUrl }),
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
  });
  afterAll(() => backend.stop());
  beforeEach(() => {
    backend.requests.length = 0;
    backend.failWith = undefined;
  });

  it('plans only the workload of a multi-document YAML, on behalf of the user, and outputs where and when it starts', async () => {
    backend.plan = () => ({
      cluster: 'gpu-east',
      queue: 'nlp-training',
      clusterQueue: 'nlp',
      flavors: { 'nvidia.com/gpu': 'h100-80gb' },
      admissible: false,
      reason: { code: 'QuotaExhausted', message: 'h100-80gb has 8 of 32 GPUs free' },
      eta: '2026-11-23T12:00:00Z',
      estimatedWaitSeconds: 6000,
      etasByCluster: { 'gpu-east': '2026-11-23T12:00:00Z' },
    });
    const ctx = createMockActionContext({ input: { manifests: training, queue: 'nlp-training' } });
    await action.handler(ctx as any);

    expect(backend.requests).toHaveLength(1);
    const [request] = backend.requests;
    expect(request.url).toBe('/plan');
    expect(request.body.manifest.kind).toBe('JobSet');
    expect(request.body.queue).toBe('nlp-training');
    expect(request.authorization).toContain('user:default/mock');
    expect(request.authorization).toContain('ai-platform');
    expect(ctx.output).toHaveBeenCalledWith('clusterQueue', 'nlp');
    expect(ctx.output).toHaveBeenCalledWith('flavors', { 'nvidia.com/gpu': 'h100-80gb' });
    expect(ctx.output).toHaveBeenCalledWith('admissible', false);
    expect(ctx.output).toHaveBeenCalledWith('reason', expect.objectContaining({ code: 'QuotaExhausted' }));
    expect(ctx.output).toHaveBeenCalledWith('estimatedWaitSeconds', 6000);
    expect(ctx.output).toHaveBeenCalledWith('eta', '2026-11-23T12:00:00Z');
  });

  it.each([
    ['ExceedsQueueMaximum', /Lower the number of replicas or GPUs per pod/],
    ['QueueNotFound', /Choose one of your team's queues/],
    ['NamespaceNotAllowed', /Deploy into one of your team's namespaces/],
  ])('fails the run and says what to change when the reason is %s', async (code, advice) => {
    backend.plan = () => ({
      queue: 'nlp-training',
      clusterQueue: 'nlp',
      admissible: false,
      reason: {
        code: code as 'ExceedsQueueMaximum',
        message: 'no',
        shortfall: [{ flavor: 'h100-80gb', resource: 'nvidia.com/gpu', requested: 32, available: 16 }],
      },
      etasByCluster: {},
    });
    const ctx = createMockActionContext({ input: { manifests: training } });
    await expect(action.handler(ctx as any)).rejects.toThrow(advice);
    await expect(action.handler(ctx as any)).rejects.toThrow(`runbooks/${code}/`);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('names the shortfall when the request exceeds the queue maximum', async () => {
    backend.plan = () => ({
      clusterQueue: 'nlp',
      admissible: false,
      reason: {
        code: 'ExceedsQueueMaximum',
        message: 'too big',
        shortfall: [{ flavor: 'h100-80gb', resource: 'nvidia.com/gpu', requested: 32, available: 16 }],
      },
      etasByCluster: {},
    });
    const ctx = createMockActionContext({ input: { manifests: training } });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      '32 nvidia.com/gpu of flavor h100-80gb requested, at most 16 possible',
    );
  });

  it('accepts a list of objects and reports the latest start among them', async () => {
    backend.plan = m => ({
      admissible: true,
      clusterQueue: 'nlp',
      estimatedWaitSeconds: m.metadata.name === 'b' ? 300 : 0,
      eta: m.metadata.name === 'b' ? '2026-11-23T10:05:00Z' : '2026-11-23T10:00:00Z',
      etasByCluster: {},
    });
    const job = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'ns' } });
    const ctx = createMockActionContext({ input: { manifests: [job('a'), job('b')] } });
    await action.handler(ctx as any);
    expect(backend.requests).toHaveLength(2);
    expect(ctx.output).toHaveBeenCalledWith('estimatedWaitSeconds', 300);
    expect(ctx.output).toHaveBeenCalledWith('admissible', true);
  });

  it('reads the manifests fetch:template rendered into a workspace directory', async () => {
    const workspace = createMockDirectory({
      content: { 'manifests/10-training.yaml': training, 'manifests/README.md': '# not a manifest' },
    });
    backend.plan = () => ({ admissible: true, clusterQueue: 'nlp', etasByCluster: {} });
    const ctx = createMockActionContext({ input: { manifestsDir: './manifests' }, workspacePath: workspace.path });
    await action.handler(ctx as any);
    expect(backend.requests.map(r => r.body.manifest.metadata.name)).toEqual(['llama-ft']);
    await expect(
      action.handler(
        createMockActionContext({ input: { manifestsDir: '../outside' }, workspacePath: workspace.path }) as any,
      ),
    ).rejects.toThrow(/outside|not allowed/i);
  });

  it('says which document is broken when the YAML does not parse', async () => {
    const ctx = createMockActionContext({ input: { manifests: `${training}\n---\nkind: [unclosed` } });
    await expect(action.handler(ctx as any)).rejects.toThrow(/YAML document 3 of manifests does not parse/);
    expect(backend.requests).toHaveLength(0);
  });

  it('refuses manifests that contain no workload', async () => {
    const ctx = createMockActionContext({
      input: { manifests: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/None of the manifests is a workload.*ConfigMap/);
  });

  it('passes on the backend error with its status', async () => {
    backend.failWith = { status: 403, message: 'You may not plan workloads in team-nlp' };
    const ctx = createMockActionContext({ input: { manifests: training } });
    await expect(action.handler(ctx as any)).rejects.toThrow(/HTTP 403.*You may not plan workloads in team-nlp/);
  });
});
