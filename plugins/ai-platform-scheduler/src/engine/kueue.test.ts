import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectedOutcome, readKueueCases, runKueueCase } from '../__testUtils__/kueueCases';

// Kueue's own test tables (see src/engine/kueue/*.yaml, each naming its upstream file).
const dir = join(__dirname, 'kueue');
for (const file of readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
  const cases = readKueueCases(join(dir, file));
  describe(`${cases.upstream}`, () => {
    it.each(cases.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
      const want = expectedOutcome(cases, c);
      const got = runKueueCase(cases, c);
      expect(Object.fromEntries(Object.keys(want).map(k => [k, got[k as keyof typeof got]]))).toEqual(want);
    });
  });
}
