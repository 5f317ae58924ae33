import request from 'supertest';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { aiPlatformPlugin } from './plugin';

jest.setTimeout(60_000);

describe('aiPlatformPlugin', () => {
  it('starts without clusters and serves its API under /api/ai-platform', async () => {
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        mockServices.rootConfig.factory({ data: { aiPlatform: { metrics: { pollInterval: { seconds: 60 } } } } }),
      ],
    });
    try {
      const health = await request(backend.server).get('/api/ai-platform/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });

      // The test backend treats a request without a token as the mock user; this header is "no credentials".
      const anonymous = await request(backend.server)
        .get('/api/ai-platform/workloads')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);

      const service = await request(backend.server)
        .get('/api/ai-platform/workloads')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(200);
      expect(service.body).toEqual({ items: [], total: 0 });

      // The mock user is in no group: told how teams are mapped rather than shown an empty list.
      const noTeam = await request(backend.server)
        .get('/api/ai-platform/workloads')
        .set('Authorization', mockCredentials.user.header());
      expect(noTeam.status).toBe(403);
      expect(noTeam.body.error.message).toMatch(/belongs to no team/);

      // Mounted under /api/ai-platform, requests are still validated against the spec.
      const unknownParameter = await request(backend.server)
        .get('/api/ai-platform/workloads?colour=blue')
        .set('Authorization', mockCredentials.service.header());
      expect(unknownParameter.status).toBe(400);
      expect(unknownParameter.body.error.message).toBe("Unknown query parameter 'colour'");

      const clusters = await request(backend.server)
        .get('/api/ai-platform/clusters')
        .set('Authorization', mockCredentials.user.header());
      expect(clusters.body).toEqual([]);

      const badSubmit = await request(backend.server)
        .post('/api/ai-platform/workloads')
        .set('Authorization', mockCredentials.user.header())
        .send({ manifest: { kind: 'Job', metadata: { name: 'x' } } });
      expect(badSubmit.status).toBe(400);
      expect(badSubmit.body.error.message).toMatch(/metadata\.namespace/);
    } finally {
      await backend.stop();
    }
  });

  it('registers the workload resource type and its isWorkloadOwner rule with the permission framework', async () => {
    const backend = await startTestBackend({ features: [aiPlatformPlugin] });
    try {
      const res = await request(backend.server)
        .get('/api/ai-platform/.well-known/backstage/permissions/metadata')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      expect(res.body.rules).toEqual([
        expect.objectContaining({ name: 'IS_WORKLOAD_OWNER', resourceType: 'ai-platform-workload' }),
      ]);
      expect(res.body.permissions.map((p: { name: string }) => p.name).sort()).toEqual([
        'ai-platform.admin',
        'ai-platform.cost.read',
        'ai-platform.workload.create',
        'ai-platform.workload.read',
        'ai-platform.workload.update',
      ]);
    } finally {
      await backend.stop();
    }
  });
});
