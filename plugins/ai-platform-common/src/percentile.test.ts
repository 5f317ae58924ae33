import { percentile } from './percentile';

describe('percentile', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => 20 - i); // 20, 19, ..., 1: order does not matter

  it.each([
    ['p50 of 20 samples is the 10th smallest', twenty, 50, 10],
    ['p95 of 20 samples is the 19th smallest', twenty, 95, 19],
    ['p100 is the largest', twenty, 100, 20],
    ['p0 is the smallest', twenty, 0, 1],
    ['the median of an odd count is the middle value', [5, 1, 3], 50, 3],
    ['one sample is every percentile', [7], 99, 7],
    ['no samples read as 0', [], 95, 0],
  ])('%s', (_, values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('leaves the values in their order', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});
