import { readFileSync } from 'node:fs';
import express, { type Request } from 'express';
import type { AiPlatformPaths } from '@ai-platform/backstage-plugin-ai-platform-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { parse } from 'yaml';

type Spec = Parameters<typeof createValidatedOpenApiRouter>[0];

let spec: Spec | undefined;

/** The plugin's API contract, src/schema/openapi.yaml. */
export function openApiSpec(): Spec {
  spec ??= parse(
    readFileSync(
      resolvePackagePath('@ai-platform/backstage-plugin-ai-platform-backend', 'src/schema/openapi.yaml'),
      'utf8',
    ),
  ) as Spec;
  return spec;
}

/**
 * An express router that validates every request against the spec
 * (parameters, bodies, unknown query parameters) and answers a violation
 * with 400 naming the field, before any handler runs. Authentication is
 * Backstage's httpAuth in the handlers, so the validator does not check
 * the security scheme.
 */
export function createOpenApiRouter(): OpenApiRouter {
  return createValidatedOpenApiRouter(openApiSpec(), {
    validatorOptions: { validateSecurity: false },
    // Manifests with large pod templates (e.g. many workers' env) exceed express's default 100 kB.
    middleware: [express.json({ limit: '2mb' })],
  }) as unknown as OpenApiRouter;
}

/**
 * The router createOpenApiRouter builds, as plain express: the spec is read
 * at runtime, so its shapes reach the handlers through the shared types.
 */
export type OpenApiRouter = express.Router;

type GetRoute = {
  [P in keyof AiPlatformPaths]: AiPlatformPaths[P]['get'] extends { parameters: any } ? P : never;
}[keyof AiPlatformPaths];

/** A GET route's query parameters as the spec types them; the validator has coerced them and applied defaults. */
export function queryOf<Path extends GetRoute>(
  req: Request,
): NonNullable<AiPlatformPaths[Path]['get']['parameters']['query']> {
  return req.query as never;
}
