import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';

/** The zod the scaffolder hands to schema functions (its own copy of zod/v3). */
type ScaffolderZod = Parameters<NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]>[0];

declare const scaffolderZod: ScaffolderZod;
/** A field of an action's input schema whose values have type T. */
type Field<T> = (z: ScaffolderZod) => ReturnType<typeof scaffolderZod.custom<T>>;
type Manifests = string | Record<string, unknown> | Record<string, unknown>[];

/**
 * Input shared by the plan and submit actions. Typed by hand: the inferred type would name the
 * scaffolder's private copy of zod, which a declaration file cannot reference.
 */
export const workloadInput: {
  manifests: Field<Manifests | undefined>;
  manifestsDir: Field<string | undefined>;
  cluster: Field<string | undefined>;
  queue: Field<string | undefined>;
} = {
  manifests: (z: ScaffolderZod) =>
    z
      .union([z.string(), z.record(z.unknown()), z.array(z.record(z.unknown()))])
      .optional()
      .describe('Kubernetes manifests: a multi-document YAML string, one object, or a list of objects.'),
  manifestsDir: (z: ScaffolderZod) =>
    z
      .string()
      .optional()
      .describe(
        'Alternative to manifests: a directory of the workspace whose .yaml files hold them, e.g. ./manifests after fetch:template.',
      ),
  cluster: (z: ScaffolderZod) =>
    z.string().optional().describe('Target cluster; omitted: the one where the workload would start first.'),
  queue: (z: ScaffolderZod) =>
    z.string().optional().describe("LocalQueue; omitted: each manifest's kueue.x-k8s.io/queue-name label."),
};

/** A usage example for the action `id`, reading the manifests `fetch:template` rendered. */
export function workloadActionExample(id: string, description: string) {
  return {
    description,
    example: [
      'steps:',
      `  - id: ${id.split(':').at(-1)}`,
      `    action: ${id}`,
      '    input:',
      '      manifestsDir: ./manifests',
      '      queue: ${{ parameters.queue }}',
    ].join('\n'),
  };
}
