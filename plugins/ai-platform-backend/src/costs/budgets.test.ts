import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { budgetStatus, monthlyBudgetAnnotation, TeamBudgets } from './budgets';
import { CostDatabase } from '../database/CostDatabase';
import { toMicros } from './money';
import { PriceBook } from './pricing';

const H = 3_600_000;
const now = Date.parse('2026-11-23T00:00:00Z');

const group = (name: string, budget?: string, namespace = 'default'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace,
    ...(budget !== undefined ? { annotations: { [monthlyBudgetAnnotation]: budget } } : {}),
  },
  spec: { type: 'team', children: [] },
});

function budgetsFrom(entities: Entity[], config = new Map<string, number>()) {
  const logger = mockServices.logger.mock();
  const inMemory = catalogServiceMock({ entities });
  const catalog = catalogServiceMock.mock({
    getEntities: (request, options) => inMemory.getEntities(request, options),
  });
  const budgets = new TeamBudgets(config, { catalog, auth: mockServices.auth(), logger });
  return { budgets, logger, catalog };
}

describe('team budgets from Group entities', () => {
  it('reads the annotation of each Group, with config winning over it', async () => {
    const { budgets, catalog } = budgetsFrom(
      [
        group('ml-research', '5000.00'),
        group('llm-serving', '100'),
        group('vision'),
        { ...group('not-a-group', '1.00'), kind: 'User' },
      ],
      new Map([['llm-serving', 250_000_000]]),
    );
    expect(budgets.current()).toEqual(new Map([['llm-serving', { micros: 250_000_000, source: 'config' }]]));
    await budgets.refresh();
    expect(budgets.current()).toEqual(
      new Map([
        ['ml-research', { micros: 5_000_000_000, source: 'group' }],
        ['llm-serving', { micros: 250_000_000, source: 'config' }],
      ]),
    );
    // Read with the plugin's own credentials.
    expect(catalog.getEntities.mock.calls[0][1]).toEqual({
      credentials: expect.objectContaining({ principal: expect.objectContaining({ type: 'service' }) }),
    });
  });

  it('logs an invalid value with the entity ref once and ignores it', async () => {
    const { budgets, logger } = budgetsFrom([group('ml-research', '5,000'), group('vision', '12.50', 'research')]);
    await budgets.refresh();
    await budgets.refresh();
    expect(budgets.current()).toEqual(new Map([['vision', { micros: 12_500_000, source: 'group' }]]));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'group:default/ml-research: annotation ai-platform.io/monthly-gpu-budget "5,000" is not a price; write a non-negative amount like 2.50 (at most 6 decimals); the group\'s budget is ignored until it is fixed',
    );
  });

  it('keeps the last budgets when the catalog cannot be read', async () => {
    const { budgets, catalog } = budgetsFrom([group('ml-research', '5000.00')]);
    await budgets.refresh();
    catalog.getEntities.mockRejectedValueOnce(new Error('catalog unavailable'));
    await expect(budgets.refresh()).rejects.toThrow('catalog unavailable');
    expect(budgets.current().get('ml-research')).toEqual({ micros: 5_000_000_000, source: 'group' });
  });

  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())('reports spend against a budget set on the Group (%p)', async id => {
    const ledger = await CostDatabase.create(
      await databases.init(id),
      new PriceBook([{ match: 'NVIDIA-L4', microsPerHour: toMicros('0.80'), from: 0 }]),
    );
    await ledger.ingest(
      [
        {
          podUid: 'p1',
          resource: 'nvidia.com/gpu',
          cluster: 'c',
          namespace: 'ml',
          pod: 'p1',
          workload: 'w',
          team: 'ml-research',
          gpuProduct: 'NVIDIA-L4',
          count: 4,
          shareNum: 1,
          shareDen: 1,
          start: now - 10 * H,
          end: now - 5 * H,
        },
      ],
      now,
    );
    const { budgets } = budgetsFrom([group('ml-research', '32.00')]);
    await budgets.refresh();
    expect(await budgetStatus(ledger, budgets.current(), now)).toEqual([
      expect.objectContaining({
        team: 'ml-research',
        budgetMicros: 32_000_000,
        source: 'group',
        spentMicros: 16_000_000,
        spentRatio: 0.5,
      }),
    ]);
  });

  it("computes one team's budget from that team's ledger rows only", async () => {
    const queries: unknown[] = [];
    const ledger = {
      showback: async (q: unknown) => {
        queries.push(q);
        return [
          { day: '2026-11-22', key: 'ml-research', gpuMs: 0, costMicros: 4_000_000 },
          { day: '2026-11-22', key: 'llm-serving', gpuMs: 0, costMicros: 9_000_000 },
        ];
      },
    };
    const budgets = new Map([
      ['ml-research', { micros: 8_000_000, source: 'config' as const }],
      ['llm-serving', { micros: 10_000_000, source: 'config' as const }],
    ]);
    const one = await budgetStatus(ledger, budgets, now, { team: 'ml-research' });
    expect(one).toEqual([expect.objectContaining({ team: 'ml-research', spentMicros: 4_000_000, spentRatio: 0.5 })]);
    expect(queries).toEqual([expect.objectContaining({ aggregate: 'team', filter: { team: 'ml-research' } })]);
    // A team without a budget needs no ledger query at all.
    expect(await budgetStatus(ledger, budgets, now, { team: 'vision' })).toEqual([]);
    expect(queries).toHaveLength(1);
    expect((await budgetStatus(ledger, budgets, now)).map(s => s.team)).toEqual(['ml-research', 'llm-serving']);
  });
});
