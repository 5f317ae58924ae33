import { DefaultNamespaceEntityPolicy, FieldFormatEntityPolicy, makeValidator } from '@backstage/catalog-model';
import { entityNameFor } from './names';

const validator = makeValidator();

describe('entityNameFor', () => {
  it.each([
    [['gpu-east', 'team-a', 'train-llama'], /^gpu-east--team-a--train-llama$/],
    [['gpu-east', 'team-a', 'My.Model_v2'], /^gpu-east--team-a--my-model-v2-[0-9a-f]{8}$/],
    [['c', 'ns', 'x'.repeat(80)], /^c--ns--x+-[0-9a-f]{8}$/],
  ])('names %j as %s', (parts, expected) => {
    const name = entityNameFor(...parts);
    expect(name).toMatch(expected);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(validator.isValidEntityName(name)).toBe(true);
  });

  it('gives objects that only differ in characters it replaces different names', () => {
    expect(entityNameFor('c', 'ns', 'a.b')).not.toBe(entityNameFor('c', 'ns', 'a_b'));
  });

  it('gives long names that share their first 63 characters different names', () => {
    const prefix = 'p'.repeat(70);
    expect(entityNameFor('c', 'ns', `${prefix}-one`)).not.toBe(entityNameFor('c', 'ns', `${prefix}-two`));
  });

  it('produces names the catalog policies accept', async () => {
    const name = entityNameFor('Cluster_1', '--ns--', `${'Ü'.repeat(70)}.x`);
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name },
      spec: { type: 'gpu-queue', owner: 'group:default/a' },
    };
    const withNamespace = await new DefaultNamespaceEntityPolicy().enforce(entity);
    await expect(new FieldFormatEntityPolicy().enforce(withNamespace!)).resolves.toBeDefined();
  });
});
