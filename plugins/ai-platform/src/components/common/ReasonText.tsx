import { Link } from '@backstage/core-components';
import type { Reason } from '@ai-platform/backstage-plugin-ai-platform-common';
import { useRunbookUrl } from './useRunbookUrl';

/** Why a workload waits, in words, with a link to the runbook for its reason. */
export function ReasonText({ reason }: { reason?: Reason }) {
  const runbookUrl = useRunbookUrl();
  if (!reason) return <span>—</span>;
  return (
    <span>
      {reason.message}{' '}
      <Link to={runbookUrl(reason.code)} aria-label={`Runbook for ${reason.code}`}>
        ({reason.code})
      </Link>
    </span>
  );
}
