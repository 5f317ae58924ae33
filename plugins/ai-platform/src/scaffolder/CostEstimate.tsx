import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import type { CostEstimateResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import FormHelperText from '@material-ui/core/FormHelperText';
import Typography from '@material-ui/core/Typography';
import { aiPlatformApiRef } from '../api/AiPlatformApi';
import { productOfFields, numberField, stringField } from './formValues';
import { flavorChoices } from './queueChoices';
import { PickerFieldset } from './PickerFieldset';

/** Value (the estimate, "124.80 USD" or "4.40 USD per hour") and ui:options of `ui:field: AiPlatformCostEstimate`. */
export const CostEstimateFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      gpuProductFrom: z
        .string()
        .optional()
        .describe('Form field with the GPU product (the AiPlatformFlavorPicker field)'),
      gpusFrom: z
        .array(z.string())
        .optional()
        .describe('Form fields whose product is the number of GPUs, e.g. [nodes, gpusPerNode]'),
      hoursFrom: z
        .string()
        .optional()
        .describe('Form field with the expected run time in hours; without it the estimate is per hour'),
      queueFrom: z.string().optional().describe('Form field with the LocalQueue, to price by its ResourceFlavor'),
      cpusFrom: z
        .array(z.string())
        .optional()
        .describe('Form fields whose product is the CPU cores of a CPU-only workload'),
    }),
});

type CostEstimateProps = typeof CostEstimateFieldSchema.TProps;

type Estimate =
  | { state: 'incomplete'; message: string }
  | { state: 'cpu-only'; message: string }
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | {
      state: 'done';
      gpus: number;
      hours: number;
      perHour: boolean;
      gpuProduct: string;
      response: CostEstimateResponse;
    };

function formatMoney(micros: number): string {
  return (micros / 1_000_000).toFixed(2);
}

/** Read-only: what the workload costs at the chosen flavor's price, from sibling fields, before the user confirms. */
export function CostEstimate(props: CostEstimateProps) {
  const { formData, onChange, schema, uiSchema, formContext } = props;
  const options = uiSchema['ui:options'] ?? {};
  const api = useApi(aiPlatformApiRef);

  const gpusFrom = options.gpusFrom ?? [];
  const gpus = productOfFields(formContext, gpusFrom);
  const cpus = productOfFields(formContext, options.cpusFrom ?? []);
  const hoursField = numberField(formContext, options.hoursFrom);
  const hours = options.hoursFrom ? hoursField : 1;
  const gpuProduct = stringField(formContext, options.gpuProductFrom);
  const queue = stringField(formContext, options.queueFrom);
  const [estimate, setEstimate] = useState<Estimate>({ state: 'loading' });

  const missing = [...gpus.missing, ...(options.hoursFrom && hours === undefined ? [options.hoursFrom] : [])];
  if (gpuProduct === undefined && options.gpuProductFrom) missing.push(options.gpuProductFrom);
  const key = JSON.stringify([gpus.value, hours, gpuProduct, queue, missing, gpusFrom.length, cpus.value]);

  useEffect(() => {
    if (gpusFrom.length === 0) {
      const cores = options.cpusFrom?.length && !cpus.missing.length ? ` (${cpus.value} cores)` : '';
      setEstimate({
        state: 'cpu-only',
        message: `Runs on CPUs only${cores}: the platform charges GPU time, so no GPU cost applies.`,
      });
      return undefined;
    }
    if (missing.length > 0) {
      setEstimate({ state: 'incomplete', message: `Fill in ${missing.join(', ')} to see the estimate.` });
      return undefined;
    }
    if (gpus.value <= 0 || hours === undefined || hours <= 0) {
      setEstimate({ state: 'incomplete', message: 'The estimate needs at least one GPU and a run time above zero.' });
      return undefined;
    }
    let cancelled = false;
    setEstimate({ state: 'loading' });
    // Debounced: the inputs change on every keystroke.
    const timer = setTimeout(async () => {
      try {
        let flavor: string | undefined;
        if (queue && gpuProduct) {
          const [queues, clusters] = await Promise.all([api.listQueues(), api.listClusters()]);
          flavor = flavorChoices(queues, clusters, { name: queue }).find(c => c.gpuProduct === gpuProduct)?.flavors[0];
        }
        const response = await api.estimateCost({ gpus: gpus.value, hours, gpuProduct, flavor });
        if (!cancelled) {
          setEstimate({
            state: 'done',
            gpus: gpus.value,
            hours,
            perHour: !options.hoursFrom,
            gpuProduct: gpuProduct ?? 'GPU',
            response,
          });
        }
      } catch (e) {
        if (!cancelled)
          setEstimate({ state: 'error', message: `Could not estimate the cost: ${(e as Error).message}` });
      }
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  // The value the review step shows and the task receives, e.g. "124.80 USD" or "4.40 USD per hour".
  const value =
    estimate.state === 'done' && estimate.response.priced
      ? `${estimate.response.cost} ${estimate.response.currency}${estimate.perHour ? ' per hour' : ''}`
      : undefined;
  const settled = estimate.state !== 'loading';
  useEffect(() => {
    if (settled && value !== formData) onChange(value);
  }, [settled, value, formData, onChange]);

  return (
    <PickerFieldset label={schema.title ?? 'Estimated cost'} description={schema.description}>
      {estimate.state === 'loading' && <Typography color="textSecondary">Estimating…</Typography>}
      {(estimate.state === 'incomplete' || estimate.state === 'cpu-only') && (
        <Typography>{estimate.message}</Typography>
      )}
      {estimate.state === 'error' && <FormHelperText error>{estimate.message}</FormHelperText>}
      {estimate.state === 'done' && !estimate.response.priced && (
        <FormHelperText error>
          No price is set for {estimate.gpuProduct}; ask the platform team to add one to aiPlatform.pricing.
        </FormHelperText>
      )}
      {estimate.state === 'done' && estimate.response.priced && (
        <>
          <Typography variant="h6" component="p">
            {estimate.response.cost} {estimate.response.currency}
            {estimate.perHour ? ' per hour' : ''}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {estimate.gpus} × {estimate.gpuProduct} × {estimate.hours} h at{' '}
            {formatMoney(estimate.response.costMicros / estimate.gpus / estimate.hours)} {estimate.response.currency}{' '}
            per GPU-hour
          </Typography>
        </>
      )}
    </PickerFieldset>
  );
}

/** The cost estimate as one definition, for both frontend systems. */
export const costEstimateField = {
  name: 'AiPlatformCostEstimate',
  component: CostEstimate,
  schema: CostEstimateFieldSchema,
};
