import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { costAggregations, workloadStates } from '@ai-platform/backstage-plugin-ai-platform-common';
import { parse } from 'yaml';
import type { CostLedger } from '../costs/CostLedger';
import { createCostRouter } from '../costs/router';
import { createRouter } from '../routes/router';
import type { DecisionStore, WorkloadService } from '../service/types';

type Spec = {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components: {
    schemas: Record<string, { enum?: string[] }>;
    parameters: Record<string, { schema: { enum?: string[] } }>;
  };
};
const spec = parse(
  readFileSync(
    resolvePackagePath('@ai-platform/backstage-plugin-ai-platform-backend', 'src/schema/openapi.yaml'),
    'utf8',
  ),
) as Spec;

type Layer = { route?: { path: string; methods: Record<string, boolean> } };
/** "GET /workloads/:cluster" for every route an express router serves. */
function served(router: { stack: Layer[] }): string[] {
  return router.stack.flatMap(layer =>
    layer.route
      ? Object.keys(layer.route.methods).map(m => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`)
      : [],
  );
}

describe('the OpenAPI spec (src/schema/openapi.yaml)', () => {
  it('documents exactly the routes the plugin serves', async () => {
    const services = {
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      userInfo: mockServices.userInfo(),
      logger: mockServices.logger.mock(),
    };
    const api = await createRouter({ ...services, workloads: {} as WorkloadService, decisions: {} as DecisionStore });
    const costs = createCostRouter({ ...services, ledger: {} as CostLedger });
    const routes = [
      ...served(api as unknown as { stack: Layer[] }),
      ...served(costs as unknown as { stack: Layer[] }),
    ].sort();
    const documented = Object.entries(spec.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter(k => k !== 'parameters')
          .map(m => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(routes);
  });

  it('gives every operation its responses', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => method !== 'parameters')
        .map(([method, op]) => ({ op: `${method} ${path}`, responses: Object.keys(op.responses ?? {}).length })),
    );
    expect(operations.filter(o => o.responses === 0)).toEqual([]);
  });

  it('names the same workload states and cost groupings as the shared types', () => {
    expect(spec.components.schemas.WorkloadState.enum).toEqual([...workloadStates]);
    expect(spec.components.parameters.aggregate.schema.enum).toEqual([...costAggregations]);
  });
});
