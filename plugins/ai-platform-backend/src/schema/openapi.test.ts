import { readFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { costAggregations, workloadStates } from '@ai-platform/backstage-plugin-ai-platform-common';
import { parse } from 'yaml';

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

describe('the OpenAPI spec (src/schema/openapi.yaml)', () => {
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
