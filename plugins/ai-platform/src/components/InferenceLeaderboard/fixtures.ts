import type { InferenceEfficiencyResponse } from '@ai-platform/backstage-plugin-ai-platform-common';

/** GET /costs/inference over a week with token counts from Prometheus (test data). */
export const inferenceResponse: InferenceEfficiencyResponse = {
  currency: 'USD',
  window: { from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
  tokensKnown: true,
  items: [
    {
      cluster: 'gpu-west',
      namespace: 'llm-serving',
      workload: 'llama-70b',
      team: 'llm-serving',
      generationTokens: 1_200_000_000,
      promptTokens: 3_400_000_000,
      gpuHours: 1344,
      costMicros: 5_376_000_000,
      tokensPerSecondPerDollar: 62.5,
      costPerMillionTokensMicros: 4_480_000,
    },
    {
      cluster: 'gpu-east',
      namespace: 'search',
      workload: 'embedder',
      generationTokens: 0,
      promptTokens: 900_000_000,
      gpuHours: 168,
      costMicros: 336_000_000,
      tokensPerSecondPerDollar: null,
      costPerMillionTokensMicros: null,
    },
    {
      cluster: 'gpu-west',
      namespace: 'chat',
      workload: 'mistral-7b',
      team: 'chat',
      generationTokens: 800_000_000,
      promptTokens: 1_000_000_000,
      gpuHours: 336,
      costMicros: 672_000_000,
      tokensPerSecondPerDollar: 281.9,
      costPerMillionTokensMicros: 840_000,
    },
  ],
};
