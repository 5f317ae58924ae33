/**
 * Reading the sibling fields a field's ui:options name. The scaffolder passes
 * the values of all steps so far as `formContext.formData`.
 */
type FormValues = Record<string, unknown>;

function valuesOf(formContext: unknown): FormValues {
  const formData = (formContext as { formData?: unknown } | undefined)?.formData;
  return formData && typeof formData === 'object' ? (formData as FormValues) : {};
}

/** A non-empty string field, or undefined. */
export function stringField(formContext: unknown, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const value = valuesOf(formContext)[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A numeric field (numbers, or strings holding one), or undefined. */
export function numberField(formContext: unknown, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const value = valuesOf(formContext)[name];
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** The product of numeric fields (e.g. nodes × GPUs per node), with the names of those not filled in. */
export function productOfFields(formContext: unknown, names: readonly string[]): { value: number; missing: string[] } {
  const missing: string[] = [];
  let value = 1;
  for (const name of names) {
    const n = numberField(formContext, name);
    if (n === undefined) missing.push(name);
    else value *= n;
  }
  return { value, missing };
}
