import { ComponentType, useState } from 'react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ClusterSummary, QueueListResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef, type AiPlatformApi } from '../../api/AiPlatformApi';
import fleet from '../__fixtures__/fleet.json';

/** The fixture fleet: two clusters, ml-research's queue on both, llm-serving's on gpu-east. */
export const fixtureQueues = fleet.queues as unknown as QueueListResponse;
export const fixtureClusters = fleet.clusters as unknown as ClusterSummary[];

/** An AI platform API serving the fixture fleet, priced per GPU-hour by product. */
export function fleetApi(
  pricesPerHour: Record<string, number> = {},
): jest.Mocked<Pick<AiPlatformApi, 'listQueues' | 'listClusters' | 'estimateCost'>> {
  return {
    listQueues: jest.fn(async () => fixtureQueues),
    listClusters: jest.fn(async () => fixtureClusters),
    estimateCost: jest.fn(async ({ gpus, hours, gpuProduct }) => {
      const perHour = gpuProduct ? pricesPerHour[gpuProduct] : undefined;
      const costMicros = Math.round((perHour ?? 0) * gpus * hours * 1_000_000);
      return { currency: 'USD', costMicros, cost: (costMicros / 1_000_000).toFixed(2), priced: costMicros > 0 };
    }),
  };
}

interface FieldRender<T> {
  /** Every value the field reported, in order. */
  onChange: jest.Mock<void, [T | undefined]>;
}

/**
 * Renders a scaffolder field as the form does: the field's own value in
 * `formData` (updated on change), the other fields in `formContext.formData`.
 */
export async function renderField<T>(
  Field: ComponentType<any>,
  options: {
    api: Partial<AiPlatformApi>;
    uiOptions: Record<string, unknown>;
    schema?: Record<string, unknown>;
    form?: Record<string, unknown>;
    value?: T;
    groups?: string[];
  },
): Promise<FieldRender<T>> {
  const onChange = jest.fn<void, [T | undefined]>();
  const identityApi = {
    getBackstageIdentity: async () => ({
      type: 'user' as const,
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice', ...(options.groups ?? [])],
    }),
  };
  function Harness() {
    const [value, setValue] = useState<T | undefined>(options.value);
    return (
      <Field
        formData={value}
        onChange={(next: T | undefined) => {
          onChange(next);
          setValue(next);
        }}
        schema={{ type: 'string', ...options.schema }}
        uiSchema={{ 'ui:options': options.uiOptions }}
        formContext={{ formData: options.form ?? {} }}
        idSchema={{ $id: 'root_field' }}
        rawErrors={[]}
        required
      />
    );
  }
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [aiPlatformApiRef, options.api],
        [identityApiRef, identityApi],
      ]}
    >
      <Harness />
    </TestApiProvider>,
  );
  return { onChange };
}
