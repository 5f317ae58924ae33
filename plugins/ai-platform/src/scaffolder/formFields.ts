import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** `AiPlatformQueuePicker` for the new frontend system (loaded with the form). */
export const queuePickerFormField = FormFieldBlueprint.make({
  name: 'queue-picker',
  params: { field: () => import('./QueuePicker').then(m => createFormField(m.queuePickerField)) },
});

/** `AiPlatformFlavorPicker` for the new frontend system. */
export const flavorPickerFormField = FormFieldBlueprint.make({
  name: 'flavor-picker',
  params: { field: () => import('./FlavorPicker').then(m => createFormField(m.flavorPickerField)) },
});

/** `AiPlatformCostEstimate` for the new frontend system. */
export const costEstimateFormField = FormFieldBlueprint.make({
  name: 'cost-estimate',
  params: { field: () => import('./CostEstimate').then(m => createFormField(m.costEstimateField)) },
});

/** The AI platform's scaffolder form fields, for the plugin's extensions list. */
export const scaffolderFormFields = [queuePickerFormField, flavorPickerFormField, costEstimateFormField];
