import { formatAmount, formatEta, formatGpuHours, formatMicros, formatShare, runbookUrl } from './format';

describe('cost formatting', () => {
  it('shows micro-units in the response currency', () => {
    expect(formatMicros(1_234_560_000, 'USD')).toBe('$1,234.56');
    expect(formatMicros(1_234_560_000, 'EUR')).toBe('€1,234.56');
    expect(formatMicros(25_941, 'USD')).toBe('$0.03');
  });

  it('drops cents from large amounts on chart axes, and names units that are not currencies', () => {
    expect(formatAmount(12_500, 'USD', { compact: true })).toBe('$12,500');
    expect(formatAmount(9.5, 'USD', { compact: true })).toBe('$9.50');
    expect(formatAmount(3, 'credits')).toBe('3.00 credits');
  });

  it('keeps minutes of GPU use visible and rounds large totals', () => {
    expect(formatGpuHours(0.0062)).toBe('0.01');
    expect(formatGpuHours(2.48)).toBe('2.5');
    expect(formatGpuHours(1344.4)).toBe('1,344');
  });

  it('shows shares as percentages, a sliver as "< 1 %", unknown as a dash', () => {
    expect(formatShare(0.755)).toBe('76 %');
    expect(formatShare(0.00003)).toBe('< 1 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(null)).toBe('—');
  });
});

describe('ETA wording', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('gives the likely start and the time it almost surely starts by', () => {
    expect(formatEta('2026-11-23T10:40:00Z', '2026-11-23T12:00:00Z', now)).toBe(
      'likely in 40 min, almost surely within 2 h',
    );
  });
  it('gives one time without a p90, and says unknown without an estimate', () => {
    expect(formatEta('2026-11-23T10:40:00Z', undefined, now)).toBe('in 40 min');
    expect(formatEta(undefined, undefined, now)).toBe('unknown');
  });
});

describe('runbook links', () => {
  it('open the shipped runbooks entity by default', () => {
    expect(runbookUrl('QuotaExhausted')).toBe('/docs/default/component/ai-platform-runbooks/runbooks/QuotaExhausted/');
  });

  it('open the TechDocs of the entity aiPlatform.runbooks.entityRef names', () => {
    expect(runbookUrl('NoMatchingFlavor', 'Component:ops/gpu-runbooks')).toBe(
      '/docs/ops/component/gpu-runbooks/runbooks/NoMatchingFlavor/',
    );
    expect(runbookUrl('NoMatchingFlavor', 'gpu-runbooks')).toBe(
      '/docs/default/component/gpu-runbooks/runbooks/NoMatchingFlavor/',
    );
  });
});
