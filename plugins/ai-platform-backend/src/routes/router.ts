import express, { type Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type { PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  aiWorkloadReadPermission,
  aiWorkloadUpdatePermission,
  labels,
  submitWorkloadRequestSchema,
  workloadStates,
  type SubmitWorkloadRequest,
  type WorkloadListResponse,
  type WorkloadRef,
  type WorkloadSummary,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { DecisionStore, WorkloadService } from '../service/types';
import { WorkloadAccess, type WorkloadAccessOptions } from '../permissions';
import { parseInput } from './validation';

/** What the REST API needs. */
export interface RouterOptions {
  workloads: WorkloadService;
  decisions: DecisionStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  auditor?: AuditorService;
  logger: LoggerService;
  /** The registered workload rules (permissionsRegistry.getPermissionRuleset); default: this plugin's rules. */
  ruleset?: PermissionRuleset<WorkloadSummary>;
  access?: WorkloadAccessOptions;
}

const listQuerySchema = z
  .object({
    cluster: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    queue: z.string().min(1).optional(),
    clusterQueue: z.string().min(1).optional(),
    state: z.enum(workloadStates).optional(),
    entityRef: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

const decisionsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }).strict();

const manifestMetadataSchema = z.object({
  kind: z.string({ required_error: 'the manifest needs a kind' }).min(1),
  metadata: z.object(
    {
      name: z.string().min(1).optional(),
      generateName: z.string().min(1).optional(),
      namespace: z
        .string({
          required_error: 'set metadata.namespace to the namespace of the LocalQueue',
        })
        .min(1),
      labels: z.record(z.string()).optional(),
    },
    { required_error: 'the manifest needs metadata with a namespace' },
  ),
});

type JsonObject = NonNullable<AuditorServiceCreateEventOptions['meta']>;
type Credentials = BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>;

/** The ai-platform REST API: translates HTTP to WorkloadService calls, after authentication and permission checks. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { workloads, decisions, httpAuth, auditor, logger } = options;
  const access = new WorkloadAccess({
    permissions: options.permissions,
    userInfo: options.userInfo,
    ruleset: options.ruleset,
    ...options.access,
  });
  const router = Router();
  router.use(express.json({ limit: '2mb' }));

  const credentialsOf = (req: Request): Promise<Credentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** Runs `action` as an audit event; the event records success or the error. */
  async function audited<T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
    severityLevel: AuditorServiceEventSeverityLevel = 'medium',
  ): Promise<T> {
    const event = await auditor?.createEvent({ eventId, request: req, meta, severityLevel });
    try {
      const result = await action();
      await event?.success();
      return result;
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  }

  const refOf = (req: Request): WorkloadRef => ({
    cluster: req.params.cluster,
    namespace: req.params.namespace,
    kind: req.params.kind,
    name: req.params.name,
  });
  const describe = (ref: WorkloadRef) => `${ref.kind} ${ref.namespace}/${ref.name} on cluster ${ref.cluster}`;

  /** The workload if the caller may read it; otherwise NotFound, so others' workloads stay invisible. */
  async function readableWorkload(req: Request, credentials: Credentials) {
    const ref = refOf(req);
    const mayRead = await access.workloadPredicate(credentials, aiWorkloadReadPermission);
    const workload = await workloads.getWorkload(ref);
    if (!workload || !mayRead(workload)) {
      throw new NotFoundError(
        `No workload ${describe(
          ref,
        )} that you may read; check the cluster, namespace, kind and name (GET /workloads lists yours).`,
      );
    }
    return workload;
  }

  // Unauthenticated (see the plugin's auth policy): liveness only, no data.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/workloads', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { limit, offset = 0, ...filter } = parseInput(listQuerySchema, req.query, 'query');
    const mayRead = await access.workloadPredicate(credentials, aiWorkloadReadPermission);
    const visible = (await workloads.listWorkloads(filter)).filter(mayRead);
    const body: WorkloadListResponse = {
      items: visible.slice(offset, limit === undefined ? undefined : offset + limit),
      total: visible.length,
    };
    res.json(body);
  });

  router.get('/workloads/:cluster/:namespace/:kind/:name', async (req, res) => {
    res.json(await readableWorkload(req, await credentialsOf(req)));
  });

  router.get('/workloads/:cluster/:namespace/:kind/:name/events', async (req, res) => {
    const workload = await readableWorkload(req, await credentialsOf(req));
    res.json(await workloads.events(workload));
  });

  router.get('/workloads/:cluster/:namespace/:kind/:name/decisions', async (req, res) => {
    const workload = await readableWorkload(req, await credentialsOf(req));
    const { limit } = parseInput(decisionsQuerySchema, req.query, 'query');
    const records = await decisions.list({
      cluster: workload.cluster,
      namespace: workload.namespace,
      name: workload.name,
      limit,
    });
    res.json({ items: records.filter(d => d.kind === workload.kind) });
  });

  /** Each of cancel, suspend and resume: read access to find it, update access to change it. */
  const workloadAction = (
    action: 'cancel' | 'suspend' | 'resume',
    run: (ref: WorkloadRef, actor: { userEntityRef: string }) => Promise<void>,
  ) =>
    router.post(`/workloads/:cluster/:namespace/:kind/:name/${action}`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const workload = await readableWorkload(req, credentials);
      const mayUpdate = await access.workloadPredicate(credentials, aiWorkloadUpdatePermission);
      if (!mayUpdate(workload)) {
        throw new NotAllowedError(
          `You may ${action} only workloads of your teams: ${describe(workload)} belongs to ${
            workload.team ? `team ${workload.team}` : 'no team'
          }.`,
        );
      }
      const caller = await access.caller(credentials);
      const ref: WorkloadRef = {
        cluster: workload.cluster,
        namespace: workload.namespace,
        kind: workload.kind,
        name: workload.name,
      };
      const asAdmin = caller.isAdmin && !caller.teams.has((workload.team ?? '').toLocaleLowerCase('en-US'));
      await audited(
        req,
        `workload-${action}`,
        { ...ref, uid: workload.uid, team: workload.team ?? null, actor: caller.actor, asAdmin },
        () => run(ref, { userEntityRef: caller.actor }),
        asAdmin ? 'high' : 'medium',
      );
      logger.info(`${caller.actor} ${action === 'cancel' ? 'cancelled' : `${action}ed`} ${describe(ref)}`);
      res.status(204).end();
    });
  workloadAction('cancel', (ref, actor) => workloads.cancel(ref, actor));
  workloadAction('suspend', (ref, actor) => workloads.setSuspended(ref, true, actor));
  workloadAction('resume', (ref, actor) => workloads.setSuspended(ref, false, actor));

  /** The LocalQueue a submission targets, with the team its namespace belongs to. */
  async function targetQueue(request: SubmitWorkloadRequest) {
    const manifest = parseInput(manifestMetadataSchema, request.manifest, 'manifest');
    const namespace = manifest.metadata.namespace;
    const name = request.queue ?? manifest.metadata.labels?.[labels.queueName];
    if (!name) {
      throw new InputError(
        `queue: name the LocalQueue in "queue" or in the manifest label ${labels.queueName} (GET /queues lists them).`,
      );
    }
    const { clusterQueues } = await workloads.listQueues();
    const matches = clusterQueues
      .filter(cq => request.cluster === undefined || cq.cluster === request.cluster)
      .flatMap(cq => cq.localQueues.filter(lq => lq.namespace === namespace && lq.name === name));
    if (matches.length === 0) {
      const loading = (await workloads.listClusters()).filter(
        c => !c.connected && (request.cluster === undefined || c.name === request.cluster),
      );
      if (loading.length > 0) {
        throw new ServiceUnavailableError(
          `queue: no LocalQueue ${name} in namespace ${namespace} yet, but cluster ${loading
            .map(c => c.name)
            .join(', ')} is still loading (${loading[0].lastError ?? 'connecting'}); retry in a few seconds.`,
        );
      }
      throw new InputError(
        `queue: there is no LocalQueue ${name} in namespace ${namespace}${
          request.cluster ? ` on cluster ${request.cluster}` : ''
        }; set metadata.namespace and queue to one that GET /queues lists.`,
      );
    }
    // A LocalQueue of that name may exist in several clusters; all must be the caller's team's.
    const foreign = matches.find(lq => lq.team !== matches[0].team);
    return { cluster: request.cluster, namespace, name, team: foreign ? undefined : matches[0].team };
  }

  /**
   * Stamps the queue's team on the workload (ai-platform.io/team), which is
   * how it is owned afterwards; a label naming another team is refused.
   */
  function withTeamLabel(
    request: SubmitWorkloadRequest,
    queue: { namespace: string; name: string; team?: string },
  ): SubmitWorkloadRequest {
    const metadata = request.manifest.metadata as { labels?: Record<string, string> };
    const labelled = metadata.labels?.[labels.team];
    if (!queue.team) return request;
    if (labelled !== undefined && labelled !== queue.team) {
      throw new InputError(
        `manifest.metadata.labels["${labels.team}"]: it says ${labelled}, but LocalQueue ${queue.namespace}/${queue.name} belongs to team ${queue.team}; remove the label or set it to ${queue.team}.`,
      );
    }
    return {
      ...request,
      manifest: {
        ...request.manifest,
        metadata: { ...metadata, labels: { ...metadata.labels, [labels.team]: queue.team } },
      },
    };
  }

  router.post('/plan', async (req, res) => {
    const credentials = await credentialsOf(req);
    const request = parseInput(submitWorkloadRequestSchema, req.body, 'request body');
    parseInput(manifestMetadataSchema, request.manifest, 'manifest');
    await access.assertMayCreate(credentials);
    res.json(await workloads.plan(request));
  });

  router.post('/workloads', async (req, res) => {
    const credentials = await credentialsOf(req);
    let request = parseInput(submitWorkloadRequestSchema, req.body, 'request body');
    const queue = await targetQueue(request);
    const caller = await access.assertMaySubmit(credentials, queue);
    request = withTeamLabel(request, queue);
    if (request.dryRun) {
      res.json(await workloads.plan(request));
      return;
    }
    const meta: JsonObject = {
      cluster: request.cluster ?? null,
      namespace: queue.namespace,
      queue: queue.name,
      team: queue.team ?? null,
      kind: String(request.manifest.kind),
      actor: caller.actor,
    };
    const response = await audited(req, 'workload-submit', meta, () =>
      workloads.submit(request, { userEntityRef: caller.actor }),
    );
    res.status(response.created ? 201 : 200).json(response);
  });

  router.get('/queues', async (req, res) => {
    await credentialsOf(req);
    res.json(await workloads.listQueues());
  });

  router.get('/clusters', async (req, res) => {
    await credentialsOf(req);
    res.json(await workloads.listClusters());
  });

  return router;
}
