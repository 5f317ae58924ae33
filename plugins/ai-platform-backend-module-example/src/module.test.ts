import request from 'supertest';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import aiPlatformPlugin from '@ai-platform/backstage-plugin-ai-platform-backend';
import { aiPlatformModuleExample } from './module';

jest.setTimeout(60_000);

const rayCluster = (spec: object) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'notebook-ray', namespace: 'team-a' },
  spec,
});
const pod = {
  containers: [{ name: 'ray', image: 'rayproject/ray:2.9', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
};

describe('a module outside the backend, on the -node extension points', () => {
  it('adds a workload kind, a price source and a telemetry source that the plugin uses like its own', async () => {
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        aiPlatformModuleExample,
        mockServices.rootConfig.factory({
          data: { aiPlatform: { pricing: { gpu: [{ gpuProduct: 'NVIDIA-B200', perHour: '9.00' }] } } },
        }),
      ],
    });
    const api = () => request(backend.server);
    const service = mockCredentials.service.header();
    try {
      // The kind is known: a RayCluster is planned (it waits: no cluster has its queue), a RayService is not a kind.
      const planned = await api()
        .post('/api/ai-platform/plan')
        .set('Authorization', service)
        .send({
          manifest: rayCluster({ headGroupSpec: { template: { spec: pod } }, workerGroupSpecs: [] }),
          queue: 'training',
        });
      expect(planned.status).toBe(200);
      expect(planned.body.admissible).toBe(false);
      const unknown = await api()
        .post('/api/ai-platform/plan')
        .set('Authorization', service)
        .send({ manifest: { ...rayCluster({}), kind: 'RayService' }, queue: 'training' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(
        /ray\.io\/v1 RayService is not a workload kind.*ray\.io\/v1 RayCluster/,
      );
      // The toolkit's errors reach the user as 400s naming the field.
      const headless = await api()
        .post('/api/ai-platform/plan')
        .set('Authorization', service)
        .send({ manifest: rayCluster({ workerGroupSpecs: [] }), queue: 'training' });
      expect(headless.status).toBe(400);
      expect(headless.body.error.message).toMatch(
        /RayCluster team-a\/notebook-ray: spec\.headGroupSpec\.template\.spec is missing/,
      );

      // Its prices win over the built-in list, and config wins over it.
      const estimate = (body: object) =>
        api().post('/api/ai-platform/costs/estimate').set('Authorization', service).send(body);
      expect((await estimate({ gpus: 2, hours: 1, gpuProduct: 'NVIDIA-L4' })).body).toMatchObject({ cost: '1.00' });
      expect((await estimate({ gpus: 1, hours: 1, gpuProduct: 'NVIDIA-B200' })).body).toMatchObject({ cost: '9.00' });

      // Its telemetry is the one the costs read.
      const allocation = await api().get('/api/ai-platform/costs/allocation').set('Authorization', service);
      expect(allocation.status).toBe(200);
      expect(allocation.body.utilizationKnown).toBe(true);
    } finally {
      await backend.stop();
    }
  });
});
