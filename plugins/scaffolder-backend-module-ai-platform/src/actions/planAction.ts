import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runbookPath, type PlanResponse, type ReasonCode } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformBackend } from './aiPlatformBackend';
import { workloadActionExample, workloadInput } from './workloadInput';
import { describeManifest, KubernetesManifest, loadManifests, workloadManifests } from './manifests';

/** Reasons that no amount of waiting fixes: the template run stops and says what to change. */
const blockingReasons: Partial<Record<ReasonCode, (manifest: KubernetesManifest, plan: PlanResponse) => string>> = {
  ExceedsQueueMaximum: (manifest, plan) => {
    const short = (plan.reason?.shortfall ?? [])
      .map(s => `${s.requested} ${s.resource} of flavor ${s.flavor} requested, at most ${s.available} possible`)
      .join('; ');
    return (
      `${describeManifest(manifest)} asks for more than ClusterQueue ${
        plan.clusterQueue ?? '(unknown)'
      } can ever provide, even when borrowing from its cohort` +
      `${
        short ? ` (${short})` : ''
      }. Lower the number of replicas or GPUs per pod, or choose a queue with a larger quota.`
    );
  },
  QueueNotFound: (manifest, plan) =>
    `${describeManifest(manifest)} names queue ${plan.queue ?? '(none)'}, which does not exist` +
    `${
      manifest.metadata.namespace ? ` in namespace ${manifest.metadata.namespace}` : ''
    }. Choose one of your team's queues in the queue picker.`,
  NamespaceNotAllowed: (manifest, plan) =>
    `Namespace ${manifest.metadata.namespace ?? '(default)'} may not use ClusterQueue ${
      plan.clusterQueue ?? '(unknown)'
    } (its namespaceSelector does not select it). ` +
    `Deploy into one of your team's namespaces, or pick a queue that serves this namespace.`,
};

/** `ai-platform:workload:plan`: asks the platform where and when each workload would be admitted. */
export function createPlanWorkloadAction(deps: { discovery: DiscoveryService; auth: AuthService }) {
  return createTemplateAction({
    id: 'ai-platform:workload:plan',
    description:
      'Asks the AI platform which queue, flavors and start time each workload manifest would get, without creating anything. Fails when the request can never be admitted as it is.',
    supportsDryRun: true,
    examples: [workloadActionExample('ai-platform:workload:plan', 'Plan the rendered manifests of a training job')],
    schema: {
      input: workloadInput,
      output: {
        cluster: z => z.string().optional(),
        queue: z => z.string().optional(),
        clusterQueue: z => z.string().optional(),
        flavors: z => z.record(z.string()).optional(),
        admissible: z => z.boolean(),
        reason: z =>
          z
            .object({
              code: z.string(),
              message: z.string(),
              shortfall: z
                .array(
                  z.object({ flavor: z.string(), resource: z.string(), requested: z.number(), available: z.number() }),
                )
                .optional(),
            })
            .optional(),
        eta: z => z.string().optional(),
        estimatedWaitSeconds: z => z.number().optional(),
        plans: z =>
          z.array(
            z.object({
              kind: z.string(),
              name: z.string(),
              admissible: z.boolean(),
              clusterQueue: z.string().optional(),
              eta: z.string().optional(),
              reasonCode: z.string().optional(),
            }),
          ),
      },
    },
    async handler(ctx) {
      const workloads = workloadManifests(await loadManifests(ctx.input, ctx.workspacePath));
      const client = aiPlatformBackend(deps, await ctx.getInitiatorCredentials());
      const plans: Array<{ manifest: KubernetesManifest; plan: PlanResponse }> = [];
      for (const manifest of workloads) {
        const plan = await client.plan({ manifest, cluster: ctx.input.cluster, queue: ctx.input.queue });
        const code = plan.reason?.code;
        const blocking = code ? blockingReasons[code] : undefined;
        if (code && blocking) {
          throw new InputError(`${blocking(manifest, plan)} (reason ${code}; runbook: ${runbookPath(code)})`);
        }
        ctx.logger.info(
          `${describeManifest(manifest)}: ${plan.admissible ? 'admissible' : 'would wait'} in ClusterQueue ${
            plan.clusterQueue ?? '?'
          }` +
            `${plan.reason ? ` (${plan.reason.code}: ${plan.reason.message})` : ''}${
              plan.eta ? `, expected start ${plan.eta}` : ''
            }`,
        );
        plans.push({ manifest, plan });
      }
      // The workload that starts last decides when the whole set runs.
      const latest = plans.reduce((a, b) =>
        (b.plan.estimatedWaitSeconds ?? 0) > (a.plan.estimatedWaitSeconds ?? 0) ? b : a,
      );
      const first = plans[0].plan;
      ctx.output('cluster', first.cluster);
      ctx.output('queue', first.queue);
      ctx.output('clusterQueue', first.clusterQueue);
      ctx.output('flavors', first.flavors);
      ctx.output(
        'admissible',
        plans.every(p => p.plan.admissible),
      );
      ctx.output('reason', plans.find(p => p.plan.reason)?.plan.reason);
      ctx.output('eta', latest.plan.eta);
      ctx.output('estimatedWaitSeconds', latest.plan.estimatedWaitSeconds);
      ctx.output(
        'plans',
        plans.map(({ manifest, plan }) => ({
          kind: manifest.kind,
          name: manifest.metadata.name,
          admissible: plan.admissible,
          clusterQueue: plan.clusterQueue,
          eta: plan.eta,
          reasonCode: plan.reason?.code,
        })),
      );
    },
  });
}
