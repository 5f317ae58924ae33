// This test reads the example templates from the repository, so it runs on Node's fs.
// eslint-disable-next-line no-restricted-imports
import fs from 'fs';
// eslint-disable-next-line no-restricted-imports
import path from 'path';
import { parse } from 'yaml';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { costEstimateFormField, flavorPickerFormField, queuePickerFormField } from './formFields';
import { costEstimateField, flavorPickerField, queuePickerField } from '.';

const fields = [queuePickerField, flavorPickerField, costEstimateField];
const templatesDir = path.resolve(__dirname, '../../../../examples/templates');

type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };

/** Every property of a template's parameter steps, including those that appear through dependencies. */
function propertiesOf(template: { spec: { parameters: Schema | Schema[] } }): Map<string, Schema> {
  const found = new Map<string, Schema>();
  const visit = (schema: unknown) => {
    if (!schema || typeof schema !== 'object') return;
    const s = schema as Schema;
    for (const [name, prop] of Object.entries(s.properties ?? {})) found.set(name, prop);
    for (const value of Object.values(s)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') Object.values(value).forEach(visit);
    }
  };
  [template.spec.parameters].flat().forEach(visit);
  return found;
}

const templates = fs
  .readdirSync(templatesDir)
  .filter(dir => fs.existsSync(path.join(templatesDir, dir, 'template.yaml')))
  .map(dir => ({ dir, template: parse(fs.readFileSync(path.join(templatesDir, dir, 'template.yaml'), 'utf8')) }));

describe('AI platform scaffolder fields', () => {
  it('finds the example templates', () => {
    expect(templates.map(t => t.dir)).toEqual(expect.arrayContaining(['pytorch-training', 'llm-inference']));
  });

  describe.each(templates)('template $dir', ({ template }) => {
    const properties = propertiesOf(template);
    const uses = [...properties].filter(([, prop]) => String(prop['ui:field'] ?? '').startsWith('AiPlatform'));

    it.each(uses)(
      'field %s uses a field this plugin provides, with ui:options it knows naming fields that exist',
      (_name, prop) => {
        const field = fields.find(f => f.name === prop['ui:field']);
        expect(field).toBeDefined();
        const known = Object.keys((field!.schema.schema.uiOptions as Schema | undefined)?.properties ?? {});
        const options = (prop['ui:options'] ?? {}) as Record<string, unknown>;
        expect(Object.keys(options).filter(key => !known.includes(key))).toEqual([]);
        const dangling = Object.entries(options)
          .filter(([key]) => key.endsWith('From'))
          .flatMap(([key, value]) => [value].flat().map(referenced => `${key}: ${referenced}`))
          .filter(ref => !properties.has(ref.split(': ')[1]));
        expect(dangling).toEqual([]);
      },
    );
  });

  it('uses the flavor picker only on fields that accept the GPU products it returns', () => {
    const enums = templates.flatMap(({ template }) =>
      [...propertiesOf(template).values()]
        .filter(prop => prop['ui:field'] === flavorPickerField.name)
        .map(prop => prop.enum),
    );
    expect(enums.length).toBeGreaterThan(0);
    for (const values of enums)
      expect(values).toEqual(expect.arrayContaining(['NVIDIA-H100-80GB-HBM3', 'NVIDIA-A10G']));
  });

  it('registers all three fields in the new frontend system, under the names the templates use', async () => {
    const loaders = [
      createExtensionTester(queuePickerFormField).get(FormFieldBlueprint.dataRefs.formFieldLoader),
      createExtensionTester(flavorPickerFormField).get(FormFieldBlueprint.dataRefs.formFieldLoader),
      createExtensionTester(costEstimateFormField).get(FormFieldBlueprint.dataRefs.formFieldLoader),
    ];
    const loaded = await Promise.all(loaders.map(load => load()));
    // A loaded FormField is opaque; its v1 shape carries the createFormField options.
    expect(loaded.map(f => (f as unknown as { name: string }).name)).toEqual([
      'AiPlatformQueuePicker',
      'AiPlatformFlavorPicker',
      'AiPlatformCostEstimate',
    ]);
  });
});
