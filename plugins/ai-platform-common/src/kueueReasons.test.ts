import { kueueReasonOf, reasonFromKueue } from './kueueReasons';
import { kueuePendingReasons, pendingReasonCodes, type PendingReasonCode } from './reasons';

describe("Kueue 0.19's pending reasons (KEP-10852)", () => {
  it.each<[PendingReasonCode, string | undefined]>([
    ['QueueNotFound', 'Misconfigured'],
    ['NamespaceNotAllowed', 'Misconfigured'],
    ['NoMatchingFlavor', 'NoMatchingFlavor'],
    ['QueueStopped', 'Suspended'],
    ['ExceedsQueueMaximum', 'ExceedsMaxQuota'],
    ['QuotaExhausted', 'WaitingForQuota'],
    ['TopologyPlacementFailed', 'TopologyPlacementFailed'],
    ['WaitingForPreemption', 'WaitingForPreemptedWorkloads'],
    ['WaitingInQueue', 'PendingEvaluation'],
    ['RequeueBackoff', 'PendingEvaluation'],
    ['ObservedOnly', undefined],
  ])('names %s as Kueue does: %s', (code, kueue) => {
    expect(kueueReasonOf({ code, message: '' })).toBe(kueue);
  });

  it('covers every pending reason code, and a budget hold as an admission gate', () => {
    expect(pendingReasonCodes.filter(code => code !== 'ObservedOnly' && !kueueReasonOf({ code, message: '' }))).toEqual(
      [],
    );
    expect(kueueReasonOf({ code: 'BudgetExceeded', message: '' })).toBe('AdmissionGated');
  });

  it('keeps the Kueue reason a reason already names, as the engine names WaitingForPodsReady', () => {
    expect(kueueReasonOf({ code: 'WaitingInQueue', message: '', kueueReason: 'WaitingForPodsReady' })).toBe(
      'WaitingForPodsReady',
    );
    expect(kueueReasonOf({ code: 'WaitingInQueue', message: '', kueueReason: 'WaitingForPodsReady' }, true)).toBe(
      'Deactivated',
    );
  });

  it('reports a deactivated (or user-held) workload as Deactivated, before anything else', () => {
    expect(kueueReasonOf({ code: 'QuotaExhausted', message: '' }, true)).toBe('Deactivated');
  });

  it.each(kueuePendingReasons)('reads %s from a Kueue cluster as one of its own codes, keeping the message', token => {
    const reason = reasonFromKueue(token, 'from Kueue');
    expect(pendingReasonCodes).toContain(reason.code);
    expect(reason).toMatchObject({ kueueReason: token, message: 'from Kueue' });
  });

  it("keeps the generic reasons of Kueue before 0.19 as ObservedOnly with Kueue's message", () => {
    expect(reasonFromKueue('Pending', "couldn't assign flavors to pod set main")).toEqual({
      code: 'ObservedOnly',
      message: "couldn't assign flavors to pod set main",
    });
    expect(reasonFromKueue('Inadmissible', '')).toEqual({
      code: 'ObservedOnly',
      message: 'Kueue has not admitted it yet (Inadmissible)',
    });
  });
});
