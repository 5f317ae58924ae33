import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FlavorAssignerCaseFile, readKueueCases, runFlavorAssignerCase } from '../__testUtils__/kueueCases';
import { Granular, GranularMode, isPreferred } from './assign';

// Kueue's flavor assigner tables (see src/engine/kueue/assign/*.yaml, each naming its upstream file).
const dir = join(__dirname, 'kueue', 'assign');
for (const file of readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
  const cases = readKueueCases<FlavorAssignerCaseFile>(join(dir, file));
  describe(`${cases.upstream}`, () => {
    it.each(cases.cases.map(c => [c.name, c] as const))('%s', (_, c) => {
      const got = runFlavorAssignerCase(cases, c);
      expect({
        mode: got.mode,
        ...(c.want.borrow !== undefined && { borrow: got.borrow }),
        ...(c.want.flavors && { flavors: got.flavors }),
      }).toEqual(c.want);
    });
  });
}

// pkg/scheduler/flavorassigner/flavorassigner_test.go TestIsPreferred, case for case.
const m = (mode: keyof typeof Granular, borrow: number): GranularMode => ({ mode: Granular[mode], borrow });
const tryNext = { whenCanBorrow: 'TryNextFlavor', whenCanPreempt: 'TryNextFlavor' } as const;
const defaults = { whenCanBorrow: 'Borrow', whenCanPreempt: 'TryNextFlavor' } as const;
describe('pkg/scheduler/flavorassigner/flavorassigner_test.go TestIsPreferred', () => {
  it.each([
    ['feature gate disabled prioritises preemption', m('Fit', 0), m('Preempt', 0), tryNext, true],
    [
      'explicit BorrowingOverPreemption prioritises borrowing distance',
      m('Preempt', 1),
      m('Fit', 2),
      { ...tryNext, preference: 'BorrowingOverPreemption' },
      false,
    ],
    [
      'explicit PreemptionOverBorrowing prioritises lower preemption',
      m('Preempt', 1),
      m('Fit', 2),
      { ...tryNext, preference: 'PreemptionOverBorrowing' },
      true,
    ],
    [
      'explicit PreemptionOverBorrowing breaks borrowing ties with preemption',
      m('Preempt', 1),
      m('Fit', 1),
      { ...tryNext, preference: 'PreemptionOverBorrowing' },
      false,
    ],
    [
      'explicit PreemptionOverBorrowing rejects no-candidate flavor before borrowing comparison',
      m('NoCandidates', 1),
      m('Fit', 2),
      { ...tryNext, preference: 'PreemptionOverBorrowing' },
      false,
    ],
    [
      'explicit PreemptionOverBorrowing prefers fit over shallower-borrowing no-candidate flavor',
      m('Fit', 2),
      m('NoCandidates', 1),
      { ...tryNext, preference: 'PreemptionOverBorrowing' },
      true,
    ],
    ['no-candidate flavor remains preferable to no-fit flavor', m('NoCandidates', 1), m('NoFit', 0), defaults, true],
    ['no-fit flavor remains worse than no-candidate flavor', m('NoFit', 0), m('NoCandidates', 1), defaults, false],
    [
      'no-candidate flavors retain borrowing preference',
      m('NoCandidates', 1),
      m('NoCandidates', 2),
      { ...defaults, preference: 'PreemptionOverBorrowing' },
      true,
    ],
    [
      'no-candidate flavors retain borrowing preference in reverse',
      m('NoCandidates', 2),
      m('NoCandidates', 1),
      { ...defaults, preference: 'PreemptionOverBorrowing' },
      false,
    ],
  ] as const)('%s', (_, a, b, fungibility, want) => {
    expect(isPreferred(a, b, fungibility)).toBe(want);
  });
});
