import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformBackend, type AiPlatformBackend } from './aiPlatformBackend';
import { workloadActionExample, workloadInput } from './workloadInput';
import { describeManifest, KubernetesManifest, loadManifests, workloadManifests } from './manifests';

type SubmittedWorkload = {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  entityRef?: string;
  state: string;
  created: boolean;
};

function submitted(workload: WorkloadSummary, created: boolean): SubmittedWorkload {
  return {
    cluster: workload.cluster,
    namespace: workload.namespace,
    kind: workload.kind,
    name: workload.name,
    entityRef: workload.entityRef,
    state: workload.state,
    created,
  };
}

/**
 * The workload a retried submission already created, if any. The backend
 * answers a repeated name with the existing workload, but a 409 can also
 * mean it exists in a way the backend could not read back; look it up.
 */
async function existingWorkload(
  client: AiPlatformBackend,
  manifest: KubernetesManifest,
  cluster: string | undefined,
): Promise<WorkloadSummary | undefined> {
  const namespace = manifest.metadata.namespace;
  if (cluster && namespace) {
    return client.getWorkload({ cluster, namespace, kind: manifest.kind, name: manifest.metadata.name });
  }
  const { items } = await client.listWorkloads({ cluster, namespace });
  return items.find(
    w => w.kind === manifest.kind && w.name === manifest.metadata.name && (!namespace || w.namespace === namespace),
  );
}

/** `ai-platform:workload:submit`: queues each workload manifest on the platform, as the user who runs the template. */
export function createSubmitWorkloadAction(deps: { discovery: DiscoveryService; auth: AuthService }) {
  return createTemplateAction({
    id: 'ai-platform:workload:submit',
    description:
      'Submits each workload manifest to the AI platform (created suspended, admitted by the platform when quota allows). Running it again with the same names returns the existing workloads.',
    supportsDryRun: true,
    examples: [
      workloadActionExample('ai-platform:workload:submit', 'Submit the rendered manifests to the chosen queue'),
    ],
    schema: {
      input: workloadInput,
      output: {
        workload: z => z.object({ cluster: z.string(), namespace: z.string(), kind: z.string(), name: z.string() }),
        entityRef: z => z.string().optional(),
        created: z => z.boolean(),
        workloads: z =>
          z.array(
            z.object({
              cluster: z.string(),
              namespace: z.string(),
              kind: z.string(),
              name: z.string(),
              entityRef: z.string().optional(),
              state: z.string(),
              created: z.boolean(),
            }),
          ),
      },
    },
    async handler(ctx) {
      const workloads = workloadManifests(await loadManifests(ctx.input, ctx.workspacePath));
      const client = aiPlatformBackend(deps, await ctx.getInitiatorCredentials());
      const results: SubmittedWorkload[] = [];
      for (const manifest of workloads) {
        const request = { manifest, cluster: ctx.input.cluster, queue: ctx.input.queue };
        if (ctx.isDryRun) {
          // Nothing is created in a dry run; report where it would go.
          const plan = await client.plan(request);
          results.push({
            cluster: plan.cluster ?? '',
            namespace: manifest.metadata.namespace ?? '',
            kind: manifest.kind,
            name: manifest.metadata.name,
            state: 'Pending',
            created: false,
          });
          continue;
        }
        const result = await ctx.checkpoint<SubmittedWorkload>({
          key: `ai-platform-submit-${manifest.kind}-${manifest.metadata.namespace ?? ''}-${manifest.metadata.name}`,
          fn: async (): Promise<SubmittedWorkload> => {
            try {
              const response = await client.submit(request);
              return submitted(response.workload, response.created);
            } catch (error) {
              if (!(error instanceof ConflictError)) throw error;
              const existing = await existingWorkload(client, manifest, ctx.input.cluster);
              // Not a name clash (e.g. no cluster can run it): the backend's message says what to change.
              if (!existing) throw error;
              ctx.logger.info(`${describeManifest(manifest)} already exists; using the existing workload.`);
              return submitted(existing, false);
            }
          },
        });
        ctx.logger.info(
          `${describeManifest(manifest)} ${result.created ? 'submitted' : 'already submitted'} to cluster ${
            result.cluster
          } (${result.state})`,
        );
        results.push(result);
      }
      const first = results[0];
      ctx.output('workload', {
        cluster: first.cluster,
        namespace: first.namespace,
        kind: first.kind,
        name: first.name,
      });
      ctx.output('entityRef', results.find(r => r.entityRef)?.entityRef);
      ctx.output(
        'created',
        results.some(r => r.created),
      );
      ctx.output('workloads', results);
    },
  });
}
