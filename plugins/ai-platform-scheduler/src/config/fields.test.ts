import type { z } from 'zod/v4';
import { fieldOf, list, nonNegative, oneOf, optStr, priority, quantity, str, stringMap, withoutNulls } from './fields';

/** The value read, or the problem with its field path. */
function read(schema: z.ZodTypeAny, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  return result.error.issues.map(i => (i.path.length ? `${fieldOf(i.path)}: ${i.message}` : i.message));
}

describe('the fields of Kueue objects', () => {
  it.each<[string, z.ZodTypeAny, unknown, unknown]>([
    ['a string', str, 'team', 'team'],
    ['a missing string', str, undefined, ['is required']],
    ['a null string', str, null, ['is required']],
    ['an empty string', str, '', ['must be a non-empty string, got ""']],
    ['a number for a string', str, 5, ['must be a non-empty string, got 5']],
    ['an optional string left out', optStr, undefined, undefined],
    ['one of a list', oneOf(['Hold', 'None']), 'Hold', 'Hold'],
    ['not one of a list', oneOf(['Hold', 'None']), 'Pause', ['must be one of Hold, None, got "Pause"']],
    ['one of a list, left out', oneOf(['Hold', 'None'], 'None'), undefined, 'None'],
    ['a quantity', quantity, '500m', 500],
    ['a quantity in Gi', quantity, '1Gi', 1024 ** 3 * 1000],
    ['a bad quantity', quantity, 'eight', ['"eight" is not a Kubernetes quantity (examples: "8", "500m", "16Gi")']],
    ['a negative quantity', quantity, -1, ['must not be negative, got -1']],
    ['a weight as a quantity', nonNegative(1), '500m', 0.5],
    ['a weight left out', nonNegative(1), undefined, 1],
    ['a negative weight', nonNegative(1), -2, ['must be a non-negative number, got -2']],
    ['a priority', priority(true), 100, 100],
    ['a fractional priority', priority(true), 1.5, ['must be an integer priority, got 1.5']],
    ['a list left out', list(str), undefined, []],
    ['not a list', list(str), 'a', ['must be a list']],
    ['a bad list item', list(str), ['a', ''], ['[1]: must be a non-empty string, got ""']],
    ['a map of strings', stringMap, { tier: 'prod' }, { tier: 'prod' }],
    ['a map with a number', stringMap, { tier: 1 }, ['tier: must be a string, got 1']],
    ['not a map', stringMap, ['a'], ['must be a map of strings']],
  ])('%s', (_, schema, value, expected) => {
    expect(read(schema, value)).toEqual(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['a null field is left out', { spec: { cohort: null, weight: 1 } }, { spec: { weight: 1 } }],
    [
      'a null list item is absent',
      { levels: [null, { nodeLabel: 'rack' }] },
      { levels: [undefined, { nodeLabel: 'rack' }] },
    ],
    ['other values are kept', ['a', 0, false, ''], ['a', 0, false, '']],
  ])('withoutNulls: %s', (_, value, expected) => {
    expect(withoutNulls(value)).toEqual(expected);
  });

  it.each([
    [['spec', 'resourceGroups', 0, 'flavors', 1, 'name'], 'spec.resourceGroups[0].flavors[1].name'],
    [['metadata', 'labels', 'tier'], 'metadata.labels.tier'],
    [[2], '[2]'],
  ])('writes the path %j as %s', (path, field) => {
    expect(fieldOf(path)).toBe(field);
  });
});
