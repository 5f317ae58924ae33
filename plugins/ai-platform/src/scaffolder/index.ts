export { queuePickerField, QueuePicker, QueuePickerFieldSchema } from './QueuePicker';
export { flavorPickerField, FlavorPicker, FlavorPickerFieldSchema } from './FlavorPicker';
export { costEstimateField, CostEstimate, CostEstimateFieldSchema } from './CostEstimate';
