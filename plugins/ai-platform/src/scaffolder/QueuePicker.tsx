import { useEffect } from 'react';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import FormHelperText from '@material-ui/core/FormHelperText';
import { aiPlatformApiRef } from '../api/AiPlatformApi';
import { useLiveData } from '../hooks/useLiveData';
import { Loadable } from '../components/common/Loadable';
import { stringField } from './formValues';
import { ChoiceRadios, PickerFieldset, requireChoice } from './PickerFieldset';
import { queueChoices, teamOf, type QueueAudience } from './queueChoices';

/** Value and ui:options of `ui:field: AiPlatformQueuePicker`. */
export const QueuePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      namespaceFrom: z
        .string()
        .optional()
        .describe('Form field with the target namespace; only queues in it are offered'),
      ownerFrom: z.string().optional().describe("Form field with the owning group; its team's queues are offered"),
      resource: z.string().optional().describe('GPU resource whose free quota is shown (default nvidia.com/gpu)'),
    }),
});

type QueuePickerProps = typeof QueuePickerFieldSchema.TProps;

function describeAudience(audience: QueueAudience): string {
  if (audience.namespace) return `namespace ${audience.namespace}`;
  if (audience.teams.length === 0) return 'your teams (you belong to none)';
  return `team ${audience.teams.join(', team ')}`;
}

/** Picks a LocalQueue the owning team may use, showing what waits in it and its free GPU quota. */
export function QueuePicker(props: QueuePickerProps) {
  const { formData, onChange, required, rawErrors, schema, uiSchema, formContext, idSchema } = props;
  const options = uiSchema['ui:options'] ?? {};
  const api = useApi(aiPlatformApiRef);
  const identityApi = useApi(identityApiRef);
  const namespace = stringField(formContext, options.namespaceFrom);
  const owner = stringField(formContext, options.ownerFrom);

  const data = useLiveData(async () => {
    const memberOf = (await identityApi.getBackstageIdentity()).ownershipEntityRefs
      .filter(r => r.startsWith('group:'))
      .map(teamOf);
    const audience: QueueAudience = { namespace, teams: owner ? [teamOf(owner)] : memberOf, memberOf };
    return { audience, choices: queueChoices(await api.listQueues(), audience, options.resource) };
  }, [api, identityApi, owner, namespace, options.resource]);

  const choices = data.value?.choices;
  useEffect(() => {
    if (!choices) return;
    if (formData && !choices.some(c => c.name === formData)) onChange(undefined);
    else if (!formData && choices.length === 1 && choices[0].yours) onChange(choices[0].name);
  }, [choices, formData, onChange]);

  const label = schema.title ?? 'GPU queue';
  return (
    <PickerFieldset label={label} description={schema.description} required={required} error={!!rawErrors?.length}>
      <Loadable
        data={data}
        isEmpty={value => value.choices.length === 0}
        empty={
          <FormHelperText error>
            No GPU queue serves {data.value ? describeAudience(data.value.audience) : 'this team'}.{' '}
            {owner || namespace ? 'Pick another owner or namespace' : 'Choose the owning team'}, or ask the platform
            team for a LocalQueue there.
          </FormHelperText>
        }
      >
        {value => (
          <ChoiceRadios
            label={label}
            name={idSchema?.$id ?? 'queue'}
            value={formData}
            onChange={onChange}
            choices={value.choices.map(choice => ({
              value: choice.name,
              label: `${choice.name} (${choice.namespace}) · ${choice.pending} pending · ${
                choice.freeGpus
              } GPUs of quota free${choice.yours ? '' : ' · not your team'}`,
            }))}
          />
        )}
      </Loadable>
      {choices?.some(c => !c.yours) && (
        <FormHelperText>
          Queues marked "not your team" belong to teams you are not a member of (yours:{' '}
          {data.value?.audience.memberOf.join(', ') || 'none'}): only platform admins may submit to them.
        </FormHelperText>
      )}
    </PickerFieldset>
  );
}

/** A queue is required to submit: say where to get one. */
export const validateQueuePick = requireChoice(
  'Choose a GPU queue: the workload waits in it until the queue admits it.',
);

/** The queue picker as one definition, for both frontend systems. */
export const queuePickerField = {
  name: 'AiPlatformQueuePicker',
  component: QueuePicker,
  validation: validateQueuePick,
  schema: QueuePickerFieldSchema,
};
