import { mockServices } from '@backstage/backend-test-utils';
import { readBudgetPolicies } from './budgets';

describe('readBudgetPolicies', () => {
  it("reads each team's policy, Warn when none is given", () => {
    const config = mockServices.rootConfig({
      data: {
        aiPlatform: {
          budgets: [
            { team: 'vision', monthly: '100.00', policy: 'Hold' },
            { team: 'speech', monthly: '50.00' },
          ],
        },
      },
    });
    expect(readBudgetPolicies(config)).toEqual(
      new Map([
        ['vision', 'Hold'],
        ['speech', 'Warn'],
      ]),
    );
  });

  it('rejects an unknown policy, naming the field and the choices', () => {
    const config = mockServices.rootConfig({
      data: { aiPlatform: { budgets: [{ team: 'vision', monthly: '100.00', policy: 'Block' }] } },
    });
    expect(() => readBudgetPolicies(config)).toThrow(
      'aiPlatform.budgets[0].policy: must be one of Warn, Deprioritize, Hold, got "Block"',
    );
  });
});
