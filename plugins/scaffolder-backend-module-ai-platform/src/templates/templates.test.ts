import { mockServices } from '@backstage/backend-test-utils';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { labels, workloadEntityTypes } from '@ai-platform/backstage-plugin-ai-platform-common';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createPlanWorkloadAction } from '../actions/planAction';
import { createSubmitWorkloadAction } from '../actions/submitAction';
import { readManifests, workloadManifests } from '../actions/manifests';
import { renderSkeleton } from './renderSkeleton';

type Values = Record<string, unknown>;
interface Step {
  id: string;
  action: string;
  input?: Record<string, unknown>;
}

const templatesDir = resolve(__dirname, '../../../../examples/templates');
const location = parse(readFileSync(join(templatesDir, 'all.yaml'), 'utf8'));
const targets: string[] = location.spec.targets;
const fixtures: Record<string, Values[]> = parse(readFileSync(join(__dirname, '__fixtures__/values.yaml'), 'utf8'));

const deps = { discovery: mockServices.discovery(), auth: mockServices.auth() };
const ourActions = [createPlanWorkloadAction(deps), createSubmitWorkloadAction(deps)];
const outputsOf = new Map(
  ourActions.map(a => [a.id, Object.keys((a.schema?.output as { properties?: object })?.properties ?? {})]),
);
const knownActions = new Set(['fetch:template', 'catalog:write', 'debug:log', ...outputsOf.keys()]);

/** Every form field a template declares, including those inside `dependencies`. */
function declaredProperties(node: unknown, into: Record<string, Record<string, unknown>> = {}) {
  if (Array.isArray(node)) node.forEach(n => declaredProperties(n, into));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && value && typeof value === 'object') Object.assign(into, value);
      declaredProperties(value, into);
    }
  }
  return into;
}

describe('software templates', () => {
  it('the catalog location lists every template directory', () => {
    expect(targets.map(t => dirname(t).replace('./', '')).sort()).toEqual(Object.keys(fixtures).sort());
  });

  describe.each(targets)('%s', target => {
    const dir = join(templatesDir, dirname(target));
    const template = parse(readFileSync(join(templatesDir, target), 'utf8'));
    const steps: Step[] = template.spec.steps;
    const properties = declaredProperties(template.spec.parameters);
    const fetchStep = steps.find(s => s.action === 'fetch:template')!;
    const variants = fixtures[dirname(target).replace('./', '')];

    it('is a v1beta3 Template for a workload entity type, using only known actions', async () => {
      // Backstage's own validator, as the catalog applies it when it reads all.yaml.
      await expect(templateEntityV1beta3Validator.check(template)).resolves.toBe(true);
      expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(template.kind).toBe('Template');
      expect(template.metadata.name).toMatch(/^[a-z0-9-]+$/);
      expect(workloadEntityTypes).toContain(template.spec.type);
      const unknown = steps.map(s => s.action).filter(a => !knownActions.has(a));
      expect(unknown).toEqual([]);
      expect(steps.map(s => s.action)).toEqual([
        'fetch:template',
        'ai-platform:workload:plan',
        'ai-platform:workload:submit',
      ]);
      expect(existsSync(join(dir, fetchStep.input!.url as string))).toBe(true);
    });

    it('asks for a queue with the queue picker and passes it to plan and submit', () => {
      expect(properties.queue['ui:field']).toBe('AiPlatformQueuePicker');
      for (const step of steps.filter(s => s.action.startsWith('ai-platform:'))) {
        expect(step.input).toEqual({ manifestsDir: './manifests', queue: '${{ parameters.queue }}' });
      }
    });

    it('only refers to parameters it declares and step outputs that exist', () => {
      const text = readFileSync(join(templatesDir, target), 'utf8');
      const declared = new Set(Object.keys(properties));
      const used = [...text.matchAll(/parameters\.(\w+)/g)].map(m => m[1]);
      expect(used.filter(p => !declared.has(p))).toEqual([]);
      for (const [, stepId, output] of text.matchAll(/steps\.(\w+)\.output\.(\w+)/g)) {
        const step = steps.find(s => s.id === stepId);
        expect(step).toBeDefined();
        expect(outputsOf.get(step!.action)).toContain(output);
      }
    });

    it.each(variants.map((v, i) => [i, v] as const))(
      'renders variant %i: valid YAML with the queue, team and entity labels',
      (_, values) => {
        const passed = Object.keys(fetchStep.input!.values as object).sort();
        expect(Object.keys(values).sort()).toEqual(passed);

        const files = renderSkeleton(join(dir, fetchStep.input!.url as string), values);
        for (const [path, content] of files) {
          expect({ path, leftover: /\$\{\{|\{%/.test(content) }).toEqual({ path, leftover: false });
        }

        const manifestFiles = [...files.keys()].filter(p => p.startsWith('manifests/'));
        expect(manifestFiles.length).toBeGreaterThan(0);
        const manifests = readManifests(manifestFiles.map(p => files.get(p)).join('\n---\n'));
        expect(workloadManifests(manifests).length).toBeGreaterThan(0);
        for (const m of manifests) {
          const where = `${m.kind} ${m.metadata.name}`;
          expect({ where, labels: m.metadata.labels }).toEqual({
            where,
            labels: expect.objectContaining({
              [labels.queueName]: values.queue,
              [labels.team]: values.team,
              [labels.kubernetesId]: values.name,
            }),
          });
          expect(m.metadata.namespace).toBe(values.namespace);
        }

        const entities = parseAllDocuments(files.get('catalog-info.yaml')!).map(d => d.toJS());
        const component = entities.find(e => e.kind === 'Component');
        expect(component.spec.type).toBe(template.spec.type);
        expect(component.spec.owner).toBe(values.owner);
        expect(component.metadata.annotations).toMatchObject({
          'backstage.io/kubernetes-id': values.name,
          'backstage.io/techdocs-ref': 'dir:.',
        });
        expect(parse(files.get('mkdocs.yml')!).nav).toEqual([{ Home: 'index.md' }]);
        expect(files.get('docs/index.md')).toMatch(new RegExp(`^# ${values.name}\\n`));
      },
    );
  });
});
