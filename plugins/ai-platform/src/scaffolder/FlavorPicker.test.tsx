import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fleetApi, renderField } from './__testUtils__/renderField';
import type { PlanResponse, SubmitWorkloadRequest } from '@ai-platform/backstage-plugin-ai-platform-common';
import { FlavorPicker, validateFlavorPick } from './FlavorPicker';

const templateEnum = ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-A100-SXM4-80GB', 'NVIDIA-A10G', 'NVIDIA-L4'];
const prices = { 'NVIDIA-H100-80GB-HBM3': 3.9, 'NVIDIA-A10G': 1.1 };

describe('AiPlatformFlavorPicker', () => {
  it("lists the queue's GPU products with free GPUs now, quota and price per GPU-hour, keeping the template's default", async () => {
    const api = fleetApi(prices);
    await renderField<string>(FlavorPicker, {
      api,
      uiOptions: { queueFrom: 'queue' },
      schema: { title: 'GPU flavor', enum: templateEnum },
      form: { queue: 'ml-research' },
      value: 'NVIDIA-H100-80GB-HBM3',
    });
    // H100 on both clusters: (64-40) + (32-8) free of 96, quota 24 + 24.
    const h100 = await screen.findByRole('radio', {
      name: 'NVIDIA-H100-80GB-HBM3 · 48 of 96 GPUs free now · queue quota 48 · 3.90 USD per GPU-hour',
    });
    expect(h100).toBeChecked();
    expect(
      screen.getByRole('radio', {
        name: 'NVIDIA-A10G · 0 of 16 GPUs free now · queue quota 8 · 1.10 USD per GPU-hour',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('radio', { name: 'NVIDIA-L4 · 6 of 8 GPUs free now · queue quota 8 · no price set' }),
    ).toBeInTheDocument();
    // The A100 flavor only has MIG quota, which a whole-GPU request cannot use.
    expect(screen.queryByRole('radio', { name: /A100/ })).not.toBeInTheDocument();
    // Priced by the ResourceFlavor name, so per-flavor contract prices apply.
    expect(api.estimateCost).toHaveBeenCalledWith({
      gpus: 1,
      hours: 1,
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      flavor: 'h100',
    });
  });

  it('shows the expected wait of the gang the form describes, per flavor, from the platform plan', async () => {
    const eta = new Date(Date.now() + 25 * 60_000).toISOString();
    const plan = jest.fn(async (request: SubmitWorkloadRequest): Promise<PlanResponse> => {
      const pod = (request.manifest as any).spec.replicatedJobs[0].template.spec.template.spec;
      return pod.nodeSelector['nvidia.com/gpu.product'] === 'NVIDIA-A10G'
        ? { admissible: false, eta, etasByCluster: { 'gpu-west': eta } }
        : { admissible: true, etasByCluster: { 'gpu-east': new Date().toISOString() } };
    });
    await renderField<string>(FlavorPicker, {
      api: { ...fleetApi(prices), plan },
      uiOptions: { queueFrom: 'queue' },
      schema: { title: 'GPU flavor', enum: templateEnum },
      form: { queue: 'ml-research', nodes: 4, gpusPerNode: 8, topology: 'none' },
    });
    expect(
      await screen.findByRole('radio', { name: /^NVIDIA-A10G .* · expected to start in 25 min$/ }),
    ).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /^NVIDIA-H100-80GB-HBM3 .* · starts now$/ })).toBeInTheDocument();
    const gang = (plan.mock.calls[0][0].manifest as any).spec.replicatedJobs[0].template.spec;
    expect(gang.parallelism).toBe(4);
    expect(gang.template.metadata).toEqual({});
  });

  it('returns the GPU product the user picks', async () => {
    const { onChange } = await renderField<string>(FlavorPicker, {
      api: fleetApi(prices),
      uiOptions: { queueFrom: 'queue' },
      schema: { enum: templateEnum },
      form: { queue: 'ml-research' },
      value: 'NVIDIA-H100-80GB-HBM3',
    });
    await userEvent.click(await screen.findByRole('radio', { name: /^NVIDIA-A10G/ }));
    expect(onChange).toHaveBeenLastCalledWith('NVIDIA-A10G');
  });

  it("offers only products in the template's enum and clears a default the queue cannot admit", async () => {
    const { onChange } = await renderField<string>(FlavorPicker, {
      api: fleetApi(prices),
      uiOptions: { queueFrom: 'queue' },
      schema: { enum: ['NVIDIA-A10G', 'NVIDIA-L4'] },
      form: { queue: 'llm-serving' },
      value: 'NVIDIA-L4',
    });
    expect(
      await screen.findByRole('radio', { name: /^NVIDIA-A10G · 0 of 16 GPUs free now · queue quota 16/ }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: /H100|L4/ })).not.toBeInTheDocument();
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(undefined));
  });

  it('asks for the queue first', async () => {
    const api = fleetApi(prices);
    await renderField<string>(FlavorPicker, { api, uiOptions: { queueFrom: 'queue' }, schema: { enum: templateEnum } });
    expect(await screen.findByText(/Choose a GPU queue first/)).toBeInTheDocument();
    expect(api.listClusters).not.toHaveBeenCalled();
  });

  it('says when the queue has no quota for any allowed product', async () => {
    await renderField<string>(FlavorPicker, {
      api: fleetApi(prices),
      uiOptions: { queueFrom: 'queue' },
      schema: { enum: ['NVIDIA-L4'] },
      form: { queue: 'llm-serving' },
    });
    expect(
      await screen.findByText('Queue llm-serving has no quota for NVIDIA-L4. Choose another queue.'),
    ).toBeInTheDocument();
  });

  it('rejects an empty choice', () => {
    const addError = jest.fn();
    validateFlavorPick(undefined as unknown as string, { addError } as never, {} as never);
    expect(addError).toHaveBeenCalledWith(expect.stringMatching(/^Choose a GPU flavor/));
  });
});
