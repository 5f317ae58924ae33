import { screen, waitFor } from '@testing-library/react';
import { fleetApi, renderField } from './__testUtils__/renderField';
import { CostEstimate } from './CostEstimate';

const trainingOptions = {
  gpuProductFrom: 'gpuProduct',
  gpusFrom: ['nodes', 'gpusPerNode'],
  hoursFrom: 'expectedHours',
  queueFrom: 'queue',
};

describe('AiPlatformCostEstimate', () => {
  it('multiplies GPUs, expected hours and the price of the chosen flavor, and keeps the total as its value', async () => {
    const api = fleetApi({ 'NVIDIA-H100-80GB-HBM3': 3.9 });
    const { onChange } = await renderField<string>(CostEstimate, {
      api,
      uiOptions: trainingOptions,
      form: { queue: 'ml-research', gpuProduct: 'NVIDIA-H100-80GB-HBM3', nodes: 2, gpusPerNode: 8, expectedHours: 4 },
    });
    // 16 GPUs × 4 h × 3.90 = 249.60
    expect(await screen.findByText('249.60 USD')).toBeInTheDocument();
    expect(screen.getByText('16 × NVIDIA-H100-80GB-HBM3 × 4 h at 3.90 USD per GPU-hour')).toBeInTheDocument();
    expect(api.estimateCost).toHaveBeenCalledWith({
      gpus: 16,
      hours: 4,
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      flavor: 'h100',
    });
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith('249.60 USD'));
  });

  it('estimates per hour when the template has no run time (serving)', async () => {
    const { onChange } = await renderField<string>(CostEstimate, {
      api: fleetApi({ 'NVIDIA-A10G': 1.1 }),
      uiOptions: { gpuProductFrom: 'gpuProduct', gpusFrom: ['maxReplicas', 'gpusPerReplica'] },
      form: { gpuProduct: 'NVIDIA-A10G', maxReplicas: 2, gpusPerReplica: '2' },
    });
    expect(await screen.findByText('4.40 USD per hour')).toBeInTheDocument();
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith('4.40 USD per hour'));
  });

  it('names the fields still missing', async () => {
    const api = fleetApi({ 'NVIDIA-H100-80GB-HBM3': 3.9 });
    const { onChange } = await renderField<string>(CostEstimate, {
      api,
      uiOptions: trainingOptions,
      form: { gpuProduct: 'NVIDIA-H100-80GB-HBM3', nodes: 2 },
      value: '100.00 USD',
    });
    expect(await screen.findByText('Fill in gpusPerNode, expectedHours to see the estimate.')).toBeInTheDocument();
    expect(api.estimateCost).not.toHaveBeenCalled();
    // A stale estimate is not kept.
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith(undefined));
  });

  it('says when no price is set for the product', async () => {
    await renderField<string>(CostEstimate, {
      api: fleetApi({}),
      uiOptions: trainingOptions,
      form: { queue: 'ml-research', gpuProduct: 'NVIDIA-L4', nodes: 1, gpusPerNode: 1, expectedHours: 1 },
    });
    expect(await screen.findByText(/No price is set for NVIDIA-L4; ask the platform team/)).toBeInTheDocument();
  });

  it('says a CPU-only workload adds no GPU cost', async () => {
    const api = fleetApi();
    await renderField<string>(CostEstimate, {
      api,
      uiOptions: { cpusFrom: ['executors', 'executorCores'] },
      form: { executors: 4, executorCores: 4 },
    });
    expect(await screen.findByText(/Runs on CPUs only \(16 cores\)/)).toBeInTheDocument();
    expect(api.estimateCost).not.toHaveBeenCalled();
  });

  it('shows the backend error', async () => {
    await renderField<string>(CostEstimate, {
      api: { ...fleetApi(), estimateCost: async () => Promise.reject(new Error('costs are off')) },
      uiOptions: { gpuProductFrom: 'gpuProduct', gpusFrom: ['gpus'] },
      form: { gpuProduct: 'NVIDIA-L4', gpus: 1 },
    });
    expect(await screen.findByText('Could not estimate the cost: costs are off')).toBeInTheDocument();
  });
});
