import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeAiPlatformBackend } from './fakeAiPlatformBackend';
import { createSubmitWorkloadAction } from './submitAction';

const training = readFileSync(join(__dirname, '__fixtures__/training.yaml'), 'utf8');

describe('ai-platform:workload:submit', () => {
  const backend = new FakeAiPlatformBackend();
  let action: ReturnType<typeof createSubmitWorkloadAction>;

  beforeAll(async () => {
    const baseUrl = await backend.start();
    action = createSubmitWorkloadAction({
      discovery: mockServices.discovery.mock({ getBaseUrl: async () => baseUrl }),
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
  });
  afterAll(() => backend.stop());
  beforeEach(() => {
    backend.requests.length = 0;
    backend.workloads.clear();
    backend.failWith = undefined;
    backend.onExisting = 'conflict';
  });

  it("submits the workload with the user's token and outputs its ref and catalog entity", async () => {
    const ctx = createMockActionContext({ input: { manifests: training, queue: 'nlp-training' } });
    await action.handler(ctx as any);

    const posts = backend.requests.filter(r => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toBe('/workloads');
    expect(posts[0].body.manifest.kind).toBe('JobSet');
    expect(posts[0].authorization).toContain('user:default/mock');
    expect(ctx.output).toHaveBeenCalledWith('workload', {
      cluster: 'gpu-east',
      namespace: 'team-nlp',
      kind: 'JobSet',
      name: 'llama-ft',
    });
    expect(ctx.output).toHaveBeenCalledWith('entityRef', 'component:team-nlp/llama-ft');
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  it('on a retry, treats 409 as already submitted and outputs the existing workload (cluster known)', async () => {
    await action.handler(createMockActionContext({ input: { manifests: training, cluster: 'gpu-east' } }) as any);
    const retry = createMockActionContext({ input: { manifests: training, cluster: 'gpu-east' } });
    await action.handler(retry as any);

    expect(backend.workloads.size).toBe(1);
    expect(backend.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'POST /workloads',
      'POST /workloads',
      'GET /workloads/gpu-east/team-nlp/JobSet/llama-ft',
    ]);
    expect(retry.output).toHaveBeenCalledWith('created', false);
    expect(retry.output).toHaveBeenCalledWith('entityRef', 'component:team-nlp/llama-ft');
  });

  it('on a retry without a cluster, finds the existing workload by name', async () => {
    await action.handler(createMockActionContext({ input: { manifests: training } }) as any);
    const retry = createMockActionContext({ input: { manifests: training } });
    await action.handler(retry as any);
    expect(backend.requests.at(-1)?.url).toBe('/workloads?namespace=team-nlp');
    expect(retry.output).toHaveBeenCalledWith(
      'workload',
      expect.objectContaining({ cluster: 'gpu-east', name: 'llama-ft' }),
    );
  });

  it('on a retry answered with the existing workload, outputs it as not created', async () => {
    backend.onExisting = 'existing';
    await action.handler(createMockActionContext({ input: { manifests: training } }) as any);
    const retry = createMockActionContext({ input: { manifests: training } });
    await action.handler(retry as any);
    expect(retry.output).toHaveBeenCalledWith('created', false);
    expect(retry.output).toHaveBeenCalledWith('workload', expect.objectContaining({ name: 'llama-ft' }));
  });

  it('passes on a 409 that is not a name clash with the backend message', async () => {
    backend.failWith = { status: 409, message: 'no cluster can run this workload: no flavor offers nvidia.com/gpu' };
    const ctx = createMockActionContext({ input: { manifests: training, cluster: 'gpu-east' } });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'no cluster can run this workload: no flavor offers nvidia.com/gpu',
    );
    await expect(action.handler(createMockActionContext({ input: { manifests: training } }) as any)).rejects.toThrow(
      'no cluster can run this workload',
    );
  });

  it('creates nothing in a dry run and reports where the workload would go', async () => {
    backend.plan = () => ({ cluster: 'gpu-west', admissible: true, etasByCluster: {} });
    const ctx = { ...createMockActionContext({ input: { manifests: training } }), isDryRun: true };
    await action.handler(ctx as any);
    expect(backend.requests.map(r => `${r.method} ${r.url}`)).toEqual(['POST /plan']);
    expect(backend.workloads.size).toBe(0);
    expect(ctx.output).toHaveBeenCalledWith('workload', {
      cluster: 'gpu-west',
      namespace: 'team-nlp',
      kind: 'JobSet',
      name: 'llama-ft',
    });
  });

  it('fails with the backend message when submission is refused', async () => {
    backend.failWith = { status: 400, message: 'metadata.name must be a DNS label' };
    const ctx = createMockActionContext({ input: { manifests: training } });
    await expect(action.handler(ctx as any)).rejects.toThrow(/HTTP 400.*metadata.name must be a DNS label/);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
