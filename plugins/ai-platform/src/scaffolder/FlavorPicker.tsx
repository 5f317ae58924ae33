import { useEffect } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import type { CostEstimateResponse, PlanResponse } from '@ai-platform/backstage-plugin-ai-platform-common';
import FormHelperText from '@material-ui/core/FormHelperText';
import { aiPlatformApiRef, type AiPlatformApi } from '../api/AiPlatformApi';
import { useLiveData } from '../hooks/useLiveData';
import { Loadable } from '../components/common/Loadable';
import { numberField, stringField } from './formValues';
import { formatWait, gangPlanRequest } from './planPreview';
import { ChoiceRadios, PickerFieldset, requireChoice } from './PickerFieldset';
import { flavorChoices, type FlavorChoice } from './queueChoices';

/** Value (the GPU product) and ui:options of `ui:field: AiPlatformFlavorPicker`. */
export const FlavorPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      queueFrom: z.string().describe('Form field with the LocalQueue (the AiPlatformQueuePicker field)'),
      namespaceFrom: z
        .string()
        .optional()
        .describe('Form field with the namespace, when LocalQueue names repeat across namespaces'),
      resource: z.string().optional().describe('GPU resource the workload requests (default nvidia.com/gpu)'),
      nodesFrom: z
        .string()
        .optional()
        .describe('Form field with the pods in the gang, for the expected wait (default nodes)'),
      gpusPerNodeFrom: z.string().optional().describe('Form field with the GPUs per pod (default gpusPerNode)'),
      topologyFrom: z.string().optional().describe('Form field with the required topology (default topology)'),
    }),
});

type FlavorPickerProps = typeof FlavorPickerFieldSchema.TProps;

/** "3.90 USD per GPU-hour", or why there is no price. */
export function pricePerGpuHour(price: CostEstimateResponse | undefined): string {
  if (!price) return 'price unknown';
  if (!price.priced) return 'no price set';
  return `${price.cost} ${price.currency} per GPU-hour`;
}

/** The price of one GPU-hour of a flavor (flavor prices win over product prices on the backend). */
export async function gpuHourPrice(
  api: AiPlatformApi,
  choice: FlavorChoice,
): Promise<CostEstimateResponse | undefined> {
  return api
    .estimateCost({ gpus: 1, hours: 1, gpuProduct: choice.gpuProduct, flavor: choice.flavors[0] })
    .catch(() => undefined);
}

function describe(
  choice: FlavorChoice,
  price: CostEstimateResponse | undefined,
  plan: PlanResponse | Error | undefined,
): string {
  let wait = '';
  if (plan instanceof Error) wait = ` · wait unknown (${plan.message})`;
  else if (plan) wait = ` · ${formatWait(plan)}`;
  return `${choice.gpuProduct} · ${choice.free} of ${choice.capacity} GPUs free now · queue quota ${
    choice.quota
  } · ${pricePerGpuHour(price)}${wait}`;
}

/**
 * Picks the GPU product among the flavors of the chosen queue, with free
 * GPUs now, the price per GPU-hour and, once the form has the gang's nodes
 * and GPUs per node, the expected wait per flavor (and cluster) from the
 * platform's plan; it updates as those fields change.
 */
export function FlavorPicker(props: FlavorPickerProps) {
  const { formData, onChange, required, rawErrors, schema, uiSchema, formContext, idSchema } = props;
  const options = uiSchema['ui:options'] ?? { queueFrom: 'queue' };
  const api = useApi(aiPlatformApiRef);
  const queue = stringField(formContext, options.queueFrom);
  const namespace = stringField(formContext, options.namespaceFrom);
  const allowed = Array.isArray(schema.enum)
    ? schema.enum.filter((e): e is string => typeof e === 'string')
    : undefined;
  const allowedKey = allowed?.join(',');
  const nodes = numberField(formContext, options.nodesFrom ?? 'nodes');
  const gpusPerNode = numberField(formContext, options.gpusPerNodeFrom ?? 'gpusPerNode');
  const topologyValue = stringField(formContext, options.topologyFrom ?? 'topology');
  const topology = topologyValue === 'none' ? undefined : topologyValue;

  const data = useLiveData(async () => {
    if (!queue) return [];
    const [queues, clusters] = await Promise.all([api.listQueues(), api.listClusters()]);
    const choices = flavorChoices(
      queues,
      clusters,
      { name: queue, namespace },
      { resource: options.resource, allowed },
    );
    const lqNamespace =
      namespace ?? queues.clusterQueues.flatMap(q => q.localQueues).find(lq => lq.name === queue)?.namespace;
    // The wait of the gang the form describes, per flavor: what the template's plan step will say.
    const plan = (gpuProduct: string): Promise<PlanResponse | Error | undefined> =>
      nodes && gpusPerNode && lqNamespace
        ? api
            .plan(gangPlanRequest({ namespace: lqNamespace, queue, gpuProduct, nodes, gpusPerNode, topology }))
            .catch((e: Error) => e)
        : Promise.resolve(undefined);
    const [prices, plans] = await Promise.all([
      Promise.all(choices.map(choice => gpuHourPrice(api, choice))),
      Promise.all(choices.map(choice => plan(choice.gpuProduct))),
    ]);
    return choices.map((choice, i) => ({ choice, price: prices[i], plan: plans[i] }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, queue, namespace, options.resource, allowedKey, nodes, gpusPerNode, topology]);

  const rows = data.value;
  useEffect(() => {
    // A default (or an earlier pick) the queue cannot admit is cleared, so the form asks again.
    if (rows && queue && formData && !rows.some(r => r.choice.gpuProduct === formData)) onChange(undefined);
  }, [rows, queue, formData, onChange]);

  const label = schema.title ?? 'GPU flavor';
  return (
    <PickerFieldset label={label} description={schema.description} required={required} error={!!rawErrors?.length}>
      {!queue ? (
        <FormHelperText>Choose a GPU queue first: the flavors and prices depend on it.</FormHelperText>
      ) : (
        <Loadable
          data={data}
          isEmpty={value => value.length === 0}
          empty={
            <FormHelperText error>
              Queue {queue} has no quota for {allowed ? allowed.join(', ') : 'any GPU product'}. Choose another queue.
            </FormHelperText>
          }
        >
          {value => (
            <ChoiceRadios
              label={label}
              name={idSchema?.$id ?? 'gpuProduct'}
              value={formData}
              onChange={onChange}
              choices={value.map(({ choice, price, plan }) => ({
                value: choice.gpuProduct,
                label: describe(choice, price, plan),
              }))}
            />
          )}
        </Loadable>
      )}
    </PickerFieldset>
  );
}

/** A GPU product is required to render the node selector. */
export const validateFlavorPick = requireChoice('Choose a GPU flavor among those the queue has quota for.');

/** The flavor picker as one definition, for both frontend systems. */
export const flavorPickerField = {
  name: 'AiPlatformFlavorPicker',
  component: FlavorPicker,
  validation: validateFlavorPick,
  schema: FlavorPickerFieldSchema,
};
