import { mergePatch, strategicMergePatch } from './patch';

describe('strategicMergePatch', () => {
  it.each([
    [
      'merges maps and deletes keys set to null',
      { a: 1, b: { c: 1, d: 2 } },
      { b: { d: null, e: 3 } },
      { a: 1, b: { c: 1, e: 3 } },
    ],
    [
      'merges env by name',
      { env: [{ name: 'A', value: '1' }] },
      { env: [{ name: 'B', value: '2' }] },
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
    ],
    [
      'merges volumeMounts by mountPath',
      { volumeMounts: [{ name: 'x', mountPath: '/a' }] },
      { volumeMounts: [{ name: 'y', mountPath: '/a' }] },
      { volumeMounts: [{ name: 'y', mountPath: '/a' }] },
    ],
    [
      'merges container ports by containerPort',
      { ports: [{ containerPort: 80, name: 'http' }] },
      { ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] },
    ],
    [
      'replaces tolerations (atomic list)',
      { tolerations: [{ key: 'a' }] },
      { tolerations: [{ key: 'b' }] },
      { tolerations: [{ key: 'b' }] },
    ],
    ['replaces lists of scalars', { args: ['a', 'b'] }, { args: ['c'] }, { args: ['c'] }],
    ['unions finalizers', { finalizers: ['a'] }, { finalizers: ['b', 'a'] }, { finalizers: ['a', 'b'] }],
    [
      'removes from a primitive list',
      { finalizers: ['a', 'b'] },
      { '$deleteFromPrimitiveList/finalizers': ['a'] },
      { finalizers: ['b'] },
    ],
    [
      'drops $setElementOrder directives',
      { containers: [{ name: 'a' }] },
      {
        '$setElementOrder/containers': [{ name: 'a' }],
        containers: [{ name: 'a', image: 'x' }],
      },
      { containers: [{ name: 'a', image: 'x' }] },
    ],
    [
      'replaces a map marked $patch: replace',
      { labels: { a: '1', b: '2' } },
      { labels: { $patch: 'replace', c: '3' } },
      { labels: { c: '3' } },
    ],
  ])('%s', (_name, original, patch, expected) => {
    expect(strategicMergePatch(original, patch)).toEqual(expected);
  });
});

describe('mergePatch', () => {
  it('replaces lists wholesale and deletes nulls (RFC 7386)', () => {
    expect(mergePatch({ a: [1, 2], b: 1, c: { d: 1 } }, { a: [3], b: null, c: { e: 2 } })).toEqual({
      a: [3],
      c: { d: 1, e: 2 },
    });
  });
});
