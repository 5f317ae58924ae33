import { Link } from '@backstage/core-components';
import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { useRunbookUrl } from './useRunbookUrl';

/** Why a workload waits, in words, with a link to the runbook for its reason and Kueue's name for it. */
export function ReasonText({ reason }: { reason?: Reason }) {
  const runbookUrl = useRunbookUrl();
  if (!reason) return <span>—</span>;
  return (
    <span>
      {reason.message}{' '}
      <Link to={runbookUrl(reason.code)} aria-label={`Runbook for ${reason.code}`}>
        ({reason.code})
      </Link>
      {reason.kueueReason && reason.kueueReason !== reason.code && (
        <span title="The reason Kueue 0.19 gives for the same state on the Workload's QuotaReserved condition">
          {' '}
          · Kueue: {reason.kueueReason}
        </span>
      )}
    </span>
  );
}
