import type {
  AllocationResponse,
  BudgetsResponse,
  ShowbackResponse,
} from '@ai-platform/backstage-plugin-ai-platform-common';

/** Three days of team showback as GET /costs/showback returns it (test data). */
export const teamShowback: ShowbackResponse = {
  currency: 'USD',
  window: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' },
  aggregate: 'team',
  rows: [
    { day: '2026-11-20', key: 'ml-research', gpuHours: 96, costMicros: 384_000_000, cost: '384.00' },
    { day: '2026-11-20', key: 'llm-serving', gpuHours: 48, costMicros: 96_000_000, cost: '96.00' },
    { day: '2026-11-22', key: 'ml-research', gpuHours: 24, costMicros: 96_000_000, cost: '96.00' },
    { day: '2026-11-22', key: 'llm-serving', gpuHours: 48, costMicros: 96_000_000, cost: '96.00' },
  ],
  totalCostMicros: 672_000_000,
};

/** The same window grouped by flavor. */
export const flavorShowback: ShowbackResponse = {
  ...teamShowback,
  aggregate: 'flavor',
  rows: [
    { day: '2026-11-20', key: 'h100', gpuHours: 96, costMicros: 384_000_000, cost: '384.00' },
    { day: '2026-11-20', key: 'a100', gpuHours: 48, costMicros: 96_000_000, cost: '96.00' },
    { day: '2026-11-22', key: 'h100', gpuHours: 24, costMicros: 96_000_000, cost: '96.00' },
    { day: '2026-11-22', key: 'a100', gpuHours: 48, costMicros: 96_000_000, cost: '96.00' },
  ],
};

/** Allocation by team with DCGM utilization known. */
export const teamAllocation: AllocationResponse = {
  code: 200,
  currency: 'USD',
  utilizationKnown: true,
  data: [
    {
      'ml-research': {
        name: 'ml-research',
        gpuHours: 120,
        gpuCost: 480,
        gpuEfficiency: 0.75,
        idleCost: 120,
        totalCost: 480,
      },
      'llm-serving': {
        name: 'llm-serving',
        gpuHours: 96,
        gpuCost: 192,
        gpuEfficiency: 0.5,
        idleCost: 96,
        totalCost: 192,
      },
    },
  ],
};

/** The same window grouped by GPU product: it adds up to the same total. */
export const productShowback: ShowbackResponse = {
  ...teamShowback,
  aggregate: 'gpu_product',
  rows: [
    { day: '2026-11-20', key: 'NVIDIA-H100-80GB-HBM3', gpuHours: 96, costMicros: 384_000_000, cost: '384.00' },
    { day: '2026-11-20', key: 'NVIDIA-A100-SXM4-80GB', gpuHours: 48, costMicros: 96_000_000, cost: '96.00' },
    { day: '2026-11-22', key: 'NVIDIA-H100-80GB-HBM3', gpuHours: 24, costMicros: 96_000_000, cost: '96.00' },
    { day: '2026-11-22', key: 'NVIDIA-A100-SXM4-80GB', gpuHours: 48, costMicros: 96_000_000, cost: '96.00' },
  ],
};

/** One team's budget this month. */
export const teamBudgets: BudgetsResponse = {
  currency: 'USD',
  items: [
    {
      team: 'ml-research',
      month: '2026-11',
      budgetMicros: 600_000_000,
      spentMicros: 480_000_000,
      forecastMicros: 720_000_000,
      spentRatio: 0.8,
      forecastRatio: 1.2,
    },
  ],
};
