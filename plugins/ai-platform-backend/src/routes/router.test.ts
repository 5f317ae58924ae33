import express from 'express';
import request from 'supertest';
import { mockCredentials, mockErrorHandler, mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AI_WORKLOAD_RESOURCE_TYPE,
  aiWorkloadUpdatePermission,
  type PlanResponse,
  type QueueListResponse,
  type SubmitWorkloadRequest,
  type WorkloadRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadChange, WorkloadFilter, WorkloadService } from '../services/WorkloadService';
import { KnexDecisionStore, migratePluginDatabase } from '../database';
import { createRouter, type RouterOptions } from './router';
import fleet from './__fixtures__/fleet.json';
import nodeCluster from '../services/FleetNodes/__fixtures__/cluster.json';
import { DefaultFleetNodeService } from '../services/FleetNodes';
import type { FlavorLike } from '../costs/CostIngestor';

jest.setTimeout(30_000);

const sameRef = (a: WorkloadRef, b: WorkloadRef) =>
  a.cluster === b.cluster && a.namespace === b.namespace && a.kind === b.kind && a.name === b.name;

/** An in-memory WorkloadService over the fixture fleet that remembers what it was asked to do. */
class FakeWorkloadService implements WorkloadService {
  workloads = structuredClone(fleet.workloads) as WorkloadSummary[];
  calls: Array<{ op: string; ref?: WorkloadRef; actor?: string; suspended?: boolean }> = [];
  private listeners: Array<(change: WorkloadChange) => void> = [];

  async listWorkloads(filter: WorkloadFilter = {}) {
    return this.workloads.filter(w =>
      (Object.keys(filter) as Array<keyof WorkloadFilter>).every(key => {
        const want = filter[key];
        if (want === undefined) return true;
        return (key === 'clusterQueue' ? w.clusterQueue : w[key]) === want;
      }),
    );
  }
  async getWorkload(ref: WorkloadRef) {
    return this.workloads.find(w => sameRef(w, ref));
  }
  async listQueues() {
    return fleet.queues as QueueListResponse;
  }
  async listClusters() {
    return [{ name: 'gpu-east', mode: 'admit' as const, connected: true, leader: true, nodes: 4, flavors: [] }];
  }
  async plan(req: SubmitWorkloadRequest): Promise<PlanResponse> {
    return {
      cluster: 'gpu-east',
      queue: req.queue,
      clusterQueue: 'cq-a',
      admissible: true,
      etasByCluster: { 'gpu-east': null },
    };
  }
  async submit(req: SubmitWorkloadRequest, actor: { userEntityRef: string }) {
    const metadata = req.manifest.metadata as { name: string; namespace: string };
    const workload: WorkloadSummary = {
      ...this.workloads[0],
      namespace: metadata.namespace,
      name: metadata.name,
      uid: `uid-${metadata.name}`,
      queue: req.queue,
    };
    this.calls.push({ op: 'submit', ref: workload, actor: actor.userEntityRef });
    this.workloads.push(workload);
    return { workload, plan: await this.plan(req), created: true };
  }
  async cancel(ref: WorkloadRef, actor: { userEntityRef: string }) {
    this.calls.push({ op: 'cancel', ref, actor: actor.userEntityRef });
    this.workloads = this.workloads.filter(w => !sameRef(w, ref));
  }
  async setSuspended(ref: WorkloadRef, suspended: boolean, actor: { userEntityRef: string }) {
    this.calls.push({ op: 'setSuspended', ref, suspended, actor: actor.userEntityRef });
  }
  async events(ref: WorkloadRef) {
    return [
      {
        type: 'Normal' as const,
        reason: 'Created',
        message: `created ${ref.name}`,
        time: '2026-11-23T09:00:00Z',
        count: 1,
      },
    ];
  }
  subscribe(listener: (change: WorkloadChange) => void) {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter(l => l !== listener);
    };
  }
}

/** Ownership from the fixture: each user's groups. */
const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const principal = credentials.principal as { type: string; userEntityRef?: string };
    if (principal.type !== 'user' || !principal.userEntityRef) throw new Error('not a user');
    const refs = (fleet.users as Record<string, string[]>)[principal.userEntityRef];
    return { userEntityRef: principal.userEntityRef, ownershipEntityRefs: refs ?? [principal.userEntityRef] };
  },
};

/** Records audit events and their outcome. */
function recordingAuditor() {
  const events: Array<AuditorServiceCreateEventOptions & { outcome?: string }> = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const entry: AuditorServiceCreateEventOptions & { outcome?: string } = { ...options, request: undefined };
      events.push(entry);
      return {
        success: async () => {
          entry.outcome = 'success';
        },
        fail: async () => {
          entry.outcome = 'failure';
        },
      };
    },
  };
  return { auditor, events };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const carol = mockCredentials.user.header('user:default/carol');

const jobManifest = (namespace: string, name: string, queue?: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace, ...(queue && { labels: { 'kueue.x-k8s.io/queue-name': queue } }) },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'trainer:1' }] } } },
});

async function setup(overrides: Partial<RouterOptions> = {}) {
  const workloads = new FakeWorkloadService();
  const knex = await databases.init('SQLITE_3');
  await migratePluginDatabase(knex);
  const decisions = new KnexDecisionStore(knex);
  const { auditor, events } = recordingAuditor();
  const router = await createRouter({
    workloads,
    decisions,
    httpAuth: mockServices.httpAuth({ pluginId: 'ai-platform', defaultCredentials: mockCredentials.none() }),
    permissions: mockServices.permissions(),
    userInfo,
    auditor,
    logger: mockServices.logger.mock(),
    access: { adminGroups: ['group:default/platform-admins'] },
    ...overrides,
  });
  const app = express().use(router).use(mockErrorHandler());
  return { app, workloads, decisions, auditEvents: events };
}

describe('createRouter', () => {
  describe('authentication', () => {
    it('refuses every data route without credentials (401)', async () => {
      const { app } = await setup();
      for (const path of ['/workloads', '/queues', '/clusters', '/workloads/gpu-east/team-a/Job/train-a']) {
        const res = await request(app).get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
      }
      const post = await request(app)
        .post('/workloads')
        .send({ manifest: jobManifest('team-a', 'x', 'lq-a') });
      expect(post.status).toBe(401);
    });

    it('answers /health without credentials', async () => {
      const { app } = await setup();
      const res = await request(app).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('reading workloads', () => {
    it("lists only the caller's teams' workloads", async () => {
      const { app } = await setup();
      const res = await request(app).get('/workloads').set('Authorization', alice);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items.map((w: WorkloadSummary) => w.name).sort()).toEqual(['finetune-a', 'train-a']);

      const asBob = await request(app).get('/workloads').set('Authorization', bob);
      expect(asBob.body.items.map((w: WorkloadSummary) => w.name)).toEqual(['train-b']);
    });

    it('tells a signed-in user in no team how teams are mapped, instead of an empty list', async () => {
      const { app } = await setup();
      const res = await request(app)
        .get('/workloads')
        .set('Authorization', mockCredentials.user.header('user:default/nobody'));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /user:default\/nobody belongs to no team.*a catalog Group in the default namespace \(group:default\/<team>\) whose name is the ai-platform.io\/team label/,
      );
    });

    it("returns nothing when a user filters for another team's workloads", async () => {
      const { app } = await setup();
      const res = await request(app).get('/workloads?team=team-b').set('Authorization', alice);
      expect(res.body).toEqual({ items: [], total: 0 });
    });

    it('applies the query filters and pages with limit and offset', async () => {
      const { app } = await setup();
      const running = await request(app).get('/workloads?state=Running').set('Authorization', alice);
      expect(running.body.items.map((w: WorkloadSummary) => w.name)).toEqual(['finetune-a']);
      const page = await request(app).get('/workloads?limit=1&offset=1').set('Authorization', alice);
      expect(page.body.total).toBe(2);
      expect(page.body.items).toHaveLength(1);
      const byEntity = await request(app)
        .get(`/workloads?entityRef=${encodeURIComponent('component:default/llm-trainer')}`)
        .set('Authorization', alice);
      expect(byEntity.body.items.map((w: WorkloadSummary) => w.name)).toEqual(['train-a']);
    });

    it("answers 403 for another team's workload, its events and decisions, and 404 for one that is gone", async () => {
      const { app } = await setup();
      for (const suffix of ['', '/events', '/decisions']) {
        const res = await request(app)
          .get(`/workloads/gpu-east/team-b/Job/train-b${suffix}`)
          .set('Authorization', alice);
        expect({ suffix, status: res.status }).toEqual({ suffix, status: 403 });
        expect(res.body.error.message).toMatch(
          /You may not read Job team-b\/train-b on cluster gpu-east: it belongs to team team-b/,
        );
        const gone = await request(app).get(`/workloads/gpu-east/team-b/Job/gone${suffix}`).set('Authorization', alice);
        expect({ suffix, status: gone.status }).toEqual({ suffix, status: 404 });
        expect(gone.body.error.message).toMatch(/No workload Job team-b\/gone on cluster gpu-east/);
      }
      const own = await request(app).get('/workloads/gpu-east/team-a/Job/train-a').set('Authorization', alice);
      expect(own.status).toBe(200);
      expect(own.body.uid).toBe('uid-train-a');
      const events = await request(app)
        .get('/workloads/gpu-east/team-a/Job/train-a/events')
        .set('Authorization', alice);
      expect(events.body).toEqual([expect.objectContaining({ reason: 'Created', message: 'created train-a' })]);
    });

    it("lists a workload's decisions from the decision log, most recent first, of its kind only", async () => {
      const { app, decisions } = await setup();
      const base = {
        cluster: 'gpu-east',
        namespace: 'team-a',
        name: 'train-a',
        uid: 'uid-train-a',
        actor: 'controller',
      };
      await decisions.record({ ...base, kind: 'Job', decision: 'Submitted', time: new Date('2026-11-23T09:00:00Z') });
      await decisions.record({
        ...base,
        kind: 'Job',
        decision: 'Admitted',
        clusterQueue: 'cq-a',
        time: new Date('2026-11-23T09:10:00Z'),
      });
      await decisions.record({
        ...base,
        kind: 'RayJob',
        uid: 'other',
        decision: 'Admitted',
        time: new Date('2026-11-23T09:20:00Z'),
      });
      const res = await request(app)
        .get('/workloads/gpu-east/team-a/Job/train-a/decisions')
        .set('Authorization', alice);
      expect(res.status).toBe(200);
      expect(res.body.items.map((d: { decision: string }) => d.decision)).toEqual(['Admitted', 'Submitted']);
    });

    it('lets a service principal read every workload', async () => {
      const { app } = await setup();
      const res = await request(app)
        .get('/workloads')
        .set(
          'Authorization',
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:catalog'),
            targetPluginId: 'ai-platform',
          }),
        );
      expect(res.body.total).toBe(4);
    });

    it('refuses the list with 403 when the policy denies reading workloads', async () => {
      const { app } = await setup({ permissions: mockServices.permissions({ result: AuthorizeResult.DENY }) });
      const res = await request(app).get('/workloads').set('Authorization', alice);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/ai-platform\.workload\.read/);
    });
  });

  describe('changing workloads', () => {
    it("cancels the caller's own workload, as the caller, and audits it", async () => {
      const { app, workloads, auditEvents } = await setup();
      const res = await request(app).post('/workloads/gpu-east/team-a/Job/train-a/cancel').set('Authorization', alice);
      expect(res.status).toBe(204);
      expect(workloads.calls).toEqual([
        {
          op: 'cancel',
          ref: { cluster: 'gpu-east', namespace: 'team-a', kind: 'Job', name: 'train-a' },
          actor: 'user:default/alice',
        },
      ]);
      expect(auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'workload-cancel',
          severityLevel: 'medium',
          outcome: 'success',
          meta: expect.objectContaining({ name: 'train-a', actor: 'user:default/alice', asAdmin: false }),
        }),
      ]);
    });

    it("cannot cancel, suspend or resume another team's workload", async () => {
      const { app, workloads } = await setup();
      for (const action of ['cancel', 'suspend', 'resume']) {
        const res = await request(app)
          .post(`/workloads/gpu-east/team-b/Job/train-b/${action}`)
          .set('Authorization', alice);
        expect({ action, status: res.status }).toEqual({ action, status: 403 });
      }
      expect(workloads.calls).toEqual([]);
    });

    it('answers 403 when the caller may read but the policy lets them update only owned workloads', async () => {
      const allowAll = mockServices.permissions();
      const permissions: PermissionsService = {
        authorize: (requests, options) => allowAll.authorize(requests, options),
        async authorizeConditional(requests, options) {
          return requests.map(r => {
            if (r.permission.name !== aiWorkloadUpdatePermission.name) return { result: AuthorizeResult.ALLOW };
            const claims = (fleet.users as Record<string, string[]>)[
              (options.credentials.principal as { userEntityRef: string }).userEntityRef
            ];
            return {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'ai-platform',
              resourceType: AI_WORKLOAD_RESOURCE_TYPE,
              conditions: { rule: 'IS_WORKLOAD_OWNER', resourceType: AI_WORKLOAD_RESOURCE_TYPE, params: { claims } },
            };
          });
        },
      };
      const { app, workloads } = await setup({ permissions, access: { teamScoped: false } });
      const read = await request(app).get('/workloads/gpu-east/team-b/Job/train-b').set('Authorization', alice);
      expect(read.status).toBe(200);
      const cancel = await request(app)
        .post('/workloads/gpu-east/team-b/Job/train-b/cancel')
        .set('Authorization', alice);
      expect(cancel.status).toBe(403);
      expect(cancel.body.error.message).toBe(
        'You may cancel only workloads of your teams: Job team-b/train-b on cluster gpu-east belongs to team team-b.',
      );
      const suspendOwn = await request(app)
        .post('/workloads/gpu-east/team-a/Job/train-a/suspend')
        .set('Authorization', alice);
      expect(suspendOwn.status).toBe(204);
      expect(workloads.calls).toEqual([expect.objectContaining({ op: 'setSuspended', suspended: true })]);
    });

    it('suspends and resumes through setSuspended', async () => {
      const { app, workloads } = await setup();
      await request(app)
        .post('/workloads/gpu-east/team-a/PyTorchJob/finetune-a/suspend')
        .set('Authorization', alice)
        .expect(204);
      await request(app)
        .post('/workloads/gpu-east/team-a/PyTorchJob/finetune-a/resume')
        .set('Authorization', alice)
        .expect(204);
      expect(workloads.calls.map(c => [c.op, c.suspended])).toEqual([
        ['setSuspended', true],
        ['setSuspended', false],
      ]);
    });

    it("lets a platform admin cancel any team's workload, audited as an admin action", async () => {
      const { app, workloads, auditEvents } = await setup();
      const res = await request(app).post('/workloads/gpu-east/team-b/Job/train-b/cancel').set('Authorization', carol);
      expect(res.status).toBe(204);
      expect(workloads.calls[0]).toEqual(expect.objectContaining({ op: 'cancel', actor: 'user:default/carol' }));
      expect(auditEvents[0]).toEqual(
        expect.objectContaining({ severityLevel: 'high', meta: expect.objectContaining({ asAdmin: true }) }),
      );
    });

    it('does not treat admin-group members as admins when the policy denies ai-platform.admin', async () => {
      const allowAll = mockServices.permissions();
      const permissions: PermissionsService = {
        authorizeConditional: (requests, options) => allowAll.authorizeConditional(requests, options),
        async authorize(requests) {
          return requests.map(r => ({
            result: r.permission.name === 'ai-platform.admin' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
          }));
        },
      };
      const { app } = await setup({ permissions });
      const res = await request(app).post('/workloads/gpu-east/team-b/Job/train-b/cancel').set('Authorization', carol);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/belongs to team team-b/);
    });
  });

  describe('submitting', () => {
    it("submits to a queue of the caller's team and audits it", async () => {
      const { app, workloads, auditEvents } = await setup();
      const res = await request(app)
        .post('/workloads')
        .set('Authorization', alice)
        .send({ manifest: jobManifest('team-a', 'new-job'), queue: 'lq-a' });
      expect(res.status).toBe(201);
      expect(res.body.created).toBe(true);
      expect(res.body.workload.name).toBe('new-job');
      expect(workloads.calls).toEqual([expect.objectContaining({ op: 'submit', actor: 'user:default/alice' })]);
      expect(auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'workload-submit',
          outcome: 'success',
          meta: expect.objectContaining({ queue: 'lq-a', team: 'team-a' }),
        }),
      ]);
    });

    it("labels the submitted workload with its queue's team and refuses a label naming another team", async () => {
      const { app, workloads } = await setup();
      const submitted: SubmitWorkloadRequest[] = [];
      const submit = workloads.submit.bind(workloads);
      workloads.submit = async (req, actor) => {
        submitted.push(req);
        return submit(req, actor);
      };
      await request(app)
        .post('/workloads')
        .set('Authorization', alice)
        .send({ manifest: jobManifest('team-a', 'labelled', 'lq-a') })
        .expect(201);
      expect((submitted[0].manifest.metadata as { labels: Record<string, string> }).labels).toEqual({
        'kueue.x-k8s.io/queue-name': 'lq-a',
        'ai-platform.io/team': 'team-a',
      });
      const manifest = jobManifest('team-a', 'posing', 'lq-a');
      (manifest.metadata.labels as Record<string, string>)['ai-platform.io/team'] = 'team-b';
      const res = await request(app).post('/workloads').set('Authorization', alice).send({ manifest });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /manifest\.metadata\.labels\["ai-platform\.io\/team"\]: it says team-b, but LocalQueue team-a\/lq-a belongs to team team-a/,
      );
      expect(submitted).toHaveLength(1);
    });

    it("refuses a submission to another team's queue with 403 naming the queue's team", async () => {
      const { app, workloads } = await setup();
      const res = await request(app)
        .post('/workloads')
        .set('Authorization', alice)
        .send({ manifest: jobManifest('team-b', 'sneaky', 'lq-b') });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/LocalQueue team-b\/lq-b belongs to team team-b; your teams: team-a/);
      expect(workloads.calls).toEqual([]);

      const dryRun = await request(app)
        .post('/workloads')
        .set('Authorization', alice)
        .send({ manifest: jobManifest('team-b', 'sneaky', 'lq-b'), dryRun: true });
      expect(dryRun.status).toBe(403);
    });

    it('returns the plan for a dry run without submitting', async () => {
      const { app, workloads } = await setup();
      const res = await request(app)
        .post('/workloads')
        .set('Authorization', alice)
        .send({ manifest: jobManifest('team-a', 'try-me', 'lq-a'), dryRun: true });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ admissible: true, clusterQueue: 'cq-a' }));
      expect(workloads.calls).toEqual([]);
    });

    it('plans without submitting on POST /plan', async () => {
      const { app, workloads } = await setup();
      const res = await request(app)
        .post('/plan')
        .set('Authorization', bob)
        .send({ manifest: jobManifest('team-b', 'p', 'lq-b') });
      expect(res.status).toBe(200);
      expect(res.body.admissible).toBe(true);
      expect(workloads.calls).toEqual([]);
    });

    it.each([
      ['a manifest that is not an object', { manifest: 'job.yaml' }, /request\/body\/manifest must be object/],
      ['no manifest', { queue: 'lq-a' }, /request\/body must have required property 'manifest'/],
      [
        'a manifest without a namespace',
        { manifest: { kind: 'Job', metadata: { name: 'x' } }, queue: 'lq-a' },
        /metadata\.namespace: set metadata\.namespace/,
      ],
      ['no queue', { manifest: jobManifest('team-a', 'x') }, /queue: name the LocalQueue/],
      [
        'a queue that does not exist',
        { manifest: jobManifest('team-a', 'x'), queue: 'nope' },
        /queue: there is no LocalQueue nope in namespace team-a/,
      ],
      [
        'dryRun that is not a boolean',
        { manifest: jobManifest('team-a', 'x', 'lq-a'), dryRun: 'yes' },
        /request\/body\/dryRun must be boolean/,
      ],
    ])('answers 400 for %s, naming the field', async (_name, body, message) => {
      const { app, workloads } = await setup();
      const res = await request(app).post('/workloads').set('Authorization', alice).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(workloads.calls).toEqual([]);
    });
  });

  it('answers 503 for an unknown queue while a cluster is still loading, saying which', async () => {
    const { app, workloads } = await setup();
    workloads.listClusters = async () => [
      {
        name: 'gpu-east',
        mode: 'admit' as const,
        connected: false,
        leader: false,
        nodes: 0,
        flavors: [],
        lastError: 'connect ECONNREFUSED',
      },
    ];
    const res = await request(app)
      .post('/workloads')
      .set('Authorization', alice)
      .send({ manifest: jobManifest('team-a', 'x'), queue: 'nope' });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /no LocalQueue nope in namespace team-a yet, but cluster gpu-east is still loading \(connect ECONNREFUSED\); retry/,
    );
    expect(workloads.calls).toEqual([]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { app } = await setup();
    const res = await request(app)
      .post('/plan')
      .set('Authorization', alice)
      .set('Content-Type', 'application/json')
      .send('{"manifest": ');
    expect(res.status).toBe(400);
  });

  describe('query validation', () => {
    it.each([
      ['/workloads?state=Sleeping', /request\/query\/state must be equal to one of the allowed values: Pending/],
      ['/workloads?limit=zero', /request\/query\/limit must be integer/],
      ['/workloads?colour=blue', /Unknown query parameter 'colour'/],
      ['/workloads/gpu-east/team-a/Job/train-a/decisions?limit=-1', /request\/query\/limit must be >= 1/],
    ])('answers 400 for %s', async (path, message) => {
      const { app } = await setup();
      const res = await request(app).get(path).set('Authorization', alice);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });
  });

  describe('queues and clusters', () => {
    it('serves queues and clusters to any signed-in user', async () => {
      const { app } = await setup();
      const queues = await request(app).get('/queues').set('Authorization', bob);
      expect(queues.body.clusterQueues.map((cq: { name: string }) => cq.name)).toEqual(['cq-a', 'cq-b']);
      const clusters = await request(app).get('/clusters').set('Authorization', bob);
      expect(clusters.body).toEqual([expect.objectContaining({ name: 'gpu-east', connected: true })]);
    });

    it("serves the fleet's nodes to any signed-in user, of one cluster when asked, and refuses callers without credentials", async () => {
      const informers = (name: string) => ({
        name,
        nodes: { list: () => nodeCluster.nodes },
        pods: { list: () => nodeCluster.pods },
      });
      const nodes = new DefaultFleetNodeService({
        clusters: [informers('gpu-east'), informers('gpu-west')],
        flavors: { flavorsOf: () => nodeCluster.flavors as FlavorLike[] },
      });
      const { app } = await setup({ nodes });
      expect((await request(app).get('/fleet/nodes')).status).toBe(401);
      const all = await request(app).get('/fleet/nodes').set('Authorization', bob);
      expect(all.status).toBe(200);
      expect(all.body.utilizationKnown).toBe(false);
      expect(all.body.nodes).toHaveLength(8);
      const west = await request(app).get('/fleet/nodes?cluster=gpu-west').set('Authorization', bob);
      expect(west.body.nodes.map((n: { cluster: string; name: string }) => `${n.cluster}/${n.name}`)).toEqual([
        'gpu-west/a100-mig-0',
        'gpu-west/cpu-0',
        'gpu-west/h100-1',
        'gpu-west/l4-0',
      ]);
      expect(west.body.nodes[2]).toMatchObject({ gpus: [{ resource: 'nvidia.com/gpu', capacity: 8, allocated: 6 }] });
    });

    it('does not serve /fleet/nodes without a node source', async () => {
      const { app } = await setup();
      expect((await request(app).get('/fleet/nodes').set('Authorization', bob)).status).toBe(404);
    });
  });
});
