import { kueuePendingReasons, type KueuePendingReason, type PendingReasonCode, type Reason } from './reasons';

/** The Kueue 0.19 reason for each of this platform's pending reasons (ObservedOnly shows Kueue's own). */
const toKueue: Record<PendingReasonCode | 'BudgetExceeded', KueuePendingReason | undefined> = {
  QueueNotFound: 'Misconfigured',
  NamespaceNotAllowed: 'Misconfigured',
  NoMatchingFlavor: 'NoMatchingFlavor',
  QueueStopped: 'Suspended',
  // A budget under policy Hold gates admission from outside the quota, as an admission gate does.
  BudgetExceeded: 'AdmissionGated',
  ExceedsQueueMaximum: 'ExceedsMaxQuota',
  QuotaExhausted: 'WaitingForQuota',
  TopologyPlacementFailed: 'TopologyPlacementFailed',
  WaitingForPreemption: 'WaitingForPreemptedWorkloads',
  WaitingInQueue: 'PendingEvaluation',
  RequeueBackoff: 'PendingEvaluation',
  ObservedOnly: undefined,
};

/** This platform's reason (and runbook) for each Kueue 0.19 reason, for clusters where Kueue admits. */
const fromKueue: Record<KueuePendingReason, PendingReasonCode> = {
  Deactivated: 'QueueStopped',
  Misconfigured: 'QueueNotFound',
  NoMatchingFlavor: 'NoMatchingFlavor',
  Suspended: 'QueueStopped',
  AdmissionGated: 'WaitingInQueue',
  WaitingForPodsReady: 'WaitingInQueue',
  ExceedsMaxQuota: 'ExceedsQueueMaximum',
  WaitingForQuota: 'QuotaExhausted',
  TopologyPlacementFailed: 'TopologyPlacementFailed',
  WaitingForPreemptedWorkloads: 'WaitingForPreemption',
  PendingEvaluation: 'WaitingInQueue',
};

const isKueuePendingReason = (value: string): value is KueuePendingReason =>
  (kueuePendingReasons as readonly string[]).includes(value);

/**
 * The reason Kueue 0.19 would write on the workload's QuotaReserved
 * condition for this platform's reason (the one the reason names, if any). `deactivated`: the workload is out of
 * the queue for good (its requeue limit was reached), which Kueue reports
 * before anything else.
 */
export function kueueReasonOf(reason: Reason, deactivated = false): KueuePendingReason | undefined {
  if (deactivated) return 'Deactivated';
  // The engine names some states more finely than its code does (WaitingInQueue because of waitForPodsReady).
  return reason.kueueReason ?? toKueue[reason.code as keyof typeof toKueue];
}

/**
 * This platform's reason for what Kueue wrote on a QuotaReserved=False
 * condition: the matching code and runbook for a 0.19 reason, ObservedOnly
 * with Kueue's message for the reasons of earlier versions (Pending,
 * Inadmissible), which do not say why.
 */
export function reasonFromKueue(kueueReason: string, message: string): Reason {
  if (!isKueuePendingReason(kueueReason))
    return { code: 'ObservedOnly', message: message || `Kueue has not admitted it yet (${kueueReason})` };
  return { code: fromKueue[kueueReason], message, kueueReason };
}
