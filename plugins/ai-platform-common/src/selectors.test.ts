import {
  matchesNodeSelectorTerm,
  meetsRequirement,
  selectsLabels,
  toleratesTaint,
  untoleratedTaint,
  type Toleration,
} from './selectors';

describe('label selectors', () => {
  const labels = { team: 'ml', tier: 'gpu', generation: '9' };

  it.each([
    ['an empty selector selects everything', {}, true],
    ['matchLabels that all hold', { matchLabels: { team: 'ml', tier: 'gpu' } }, true],
    ['a matchLabels value that differs', { matchLabels: { team: 'web' } }, false],
    ['a matchLabels key that is absent', { matchLabels: { zone: 'a' } }, false],
    ['In with the value listed', { matchExpressions: [{ key: 'team', operator: 'In', values: ['ml', 'web'] }] }, true],
    ['In on an absent label', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn with the value listed', { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['ml'] }] }, false],
    ['NotIn on an absent label', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists on a present label', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [
      'Exists on a label named like an Object method',
      { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] },
      false,
    ],
    ['DoesNotExist on a present label', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [
      'labels and expressions together, one failing',
      { matchLabels: { team: 'ml' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['cpu'] }] },
      false,
    ],
  ] as const)('%s', (_, selector, expected) => {
    expect(selectsLabels(selector as never, labels)).toBe(expected);
  });

  it.each([
    ['Gt above', 'Gt', '9', ['8'], true],
    ['Gt equal', 'Gt', '9', ['9'], false],
    ['Lt below', 'Lt', '9', ['10'], true],
    ['Gt on an absent label', 'Gt', undefined, ['1'], false],
  ] as const)('node selector requirement: %s', (_, operator, value, values, expected) => {
    expect(meetsRequirement(value, { key: 'k', operator, values: [...values] })).toBe(expected);
  });
});

describe('taint tolerations', () => {
  const gpu = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

  it.each<[string, Toleration[], boolean]>([
    ['no tolerations', [], false],
    ['Exists on the key', [{ key: 'nvidia.com/gpu', operator: 'Exists' }], true],
    ['Exists with no key tolerates every taint', [{ operator: 'Exists' }], true],
    ['Equal with the same value', [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present' }], true],
    ['Equal with another value', [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'absent' }], false],
    ['a missing operator means Equal', [{ key: 'nvidia.com/gpu', value: 'present' }], true],
    ['another effect', [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }], false],
    ['the same effect', [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], true],
    ['a key without an operator does not tolerate another key', [{ key: 'other' }], false],
    ['no key without Exists tolerates nothing', [{ value: 'present' }], false],
  ])('%s', (_, tolerations, expected) => {
    expect(toleratesTaint(tolerations, gpu)).toBe(expected);
  });

  it('names the first taint that keeps pods off, ignoring PreferNoSchedule', () => {
    const soft = { key: 'spot', effect: 'PreferNoSchedule' };
    const hard = { key: 'reserved', value: 'ops', effect: 'NoExecute' };
    expect(untoleratedTaint([], [soft, hard])).toBe(hard);
    expect(untoleratedTaint([{ key: 'reserved', operator: 'Exists' }], [soft, hard])).toBeUndefined();
  });
});

describe('node selector terms (node affinity)', () => {
  const node = { name: 'gpu-1', labels: { 'nvidia.com/gpu.count': '8', zone: 'a' } };

  it.each([
    ['an empty term matches nothing', {}, false],
    ['an expression that holds', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, true],
    [
      'Gt on a numeric label',
      { matchExpressions: [{ key: 'nvidia.com/gpu.count', operator: 'Gt', values: ['4'] }] },
      true,
    ],
    [
      'Lt on a numeric label',
      { matchExpressions: [{ key: 'nvidia.com/gpu.count', operator: 'Lt', values: ['4'] }] },
      false,
    ],
    ['a field on the node name', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-1'] }] }, true],
    ['a field other than the name', { matchFields: [{ key: 'spec.unschedulable', operator: 'Exists' }] }, false],
    [
      'Exists on a label named like an Object method',
      { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] },
      false,
    ],
    [
      'an expression and a field, one failing',
      {
        matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
        matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['gpu-1'] }],
      },
      false,
    ],
  ] as const)('%s', (_, term, expected) => {
    expect(matchesNodeSelectorTerm(term as never, node)).toBe(expected);
  });
});
