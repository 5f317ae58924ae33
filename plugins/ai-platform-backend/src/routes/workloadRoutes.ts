import type { Request } from 'express';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  aiWorkloadReadPermission,
  aiWorkloadUpdatePermission,
  type SubmitWorkloadRequest,
  type WorkloadListResponse,
  type WorkloadRef,
} from '@ai-platform/backstage-plugin-ai-platform-common';
import type { WorkloadService } from '../services/WorkloadService';
import type { DecisionStore } from '../database/DecisionStore';
import type { Credentials, TeamAccess } from '../permissions';
import { queryOf, type OpenApiRouter } from '../schema/openApiRouter';
import { checkManifest, targetQueue, withTeamLabel } from './submission';

type JsonObject = NonNullable<AuditorServiceCreateEventOptions['meta']>;

const describe = (ref: WorkloadRef) => `${ref.kind} ${ref.namespace}/${ref.name} on cluster ${ref.cluster}`;

const refOf = (req: Request): WorkloadRef => ({
  cluster: req.params.cluster,
  namespace: req.params.namespace,
  kind: req.params.kind,
  name: req.params.name,
});

/**
 * The /workloads, /plan, /queues and /clusters routes: HTTP to
 * WorkloadService calls, after TeamAccess has said who may do what. The
 * spec has validated parameters and bodies before a handler runs.
 */
export function addWorkloadRoutes(
  router: OpenApiRouter,
  options: {
    workloads: WorkloadService;
    decisions: DecisionStore;
    access: TeamAccess;
    credentialsOf: (req: Request) => Promise<Credentials>;
    auditor?: AuditorService;
    logger: LoggerService;
  },
) {
  const { workloads, decisions, access, credentialsOf, auditor, logger } = options;

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

  /** The workload if the caller may read it: 404 when there is none, 403 when it is not theirs to see. */
  async function readableWorkload(req: Request, credentials: Credentials) {
    const ref = refOf(req);
    const mayRead = await access.workloadPredicate(credentials, aiWorkloadReadPermission);
    const workload = await workloads.getWorkload(ref);
    if (!workload) {
      throw new NotFoundError(
        `No workload ${describe(ref)}; check the cluster, namespace, kind and name (GET /workloads lists yours).`,
      );
    }
    if (!mayRead(workload)) {
      throw new NotAllowedError(
        `You may not read ${describe(ref)}: it belongs to ${
          workload.team ? `team ${workload.team}` : 'no team'
        }, and you may read the workloads of your teams only.`,
      );
    }
    return workload;
  }

  router.get('/workloads', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { limit, offset, ...filter } = queryOf<'/workloads'>(req);
    const mayRead = await access.workloadPredicate(credentials, aiWorkloadReadPermission);
    const visible = (await workloads.listWorkloads(filter)).filter(mayRead);
    const start = offset ?? 0;
    const body: WorkloadListResponse = {
      items: visible.slice(start, limit === undefined ? undefined : start + limit),
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
    const { limit } = queryOf<'/workloads/{cluster}/{namespace}/{kind}/{name}/decisions'>(req);
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

  router.post('/plan', async (req, res) => {
    const credentials = await credentialsOf(req);
    const request = req.body as SubmitWorkloadRequest;
    checkManifest(request);
    await access.assertMayCreate(credentials);
    res.json(await workloads.plan(request));
  });

  router.post('/workloads', async (req, res) => {
    const credentials = await credentialsOf(req);
    let request = req.body as SubmitWorkloadRequest;
    const queue = await targetQueue(workloads, request);
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
}
