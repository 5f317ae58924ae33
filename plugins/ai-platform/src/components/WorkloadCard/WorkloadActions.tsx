import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Alert, Button, Flex } from '@backstage/ui';
import { aiWorkloadUpdatePermission, type WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';

const finishedStates = ['Succeeded', 'Failed', 'Cancelled'];

/** Suspend, resume and cancel, shown only to users allowed to change this workload and only while it is not finished. */
export function WorkloadActions({ workload }: { workload: WorkloadSummary }) {
  const api = useApi(aiPlatformApiRef);
  const { allowed } = usePermission({
    permission: aiWorkloadUpdatePermission,
    resourceRef: `${workload.cluster}/${workload.namespace}/${workload.kind}/${workload.name}`,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!allowed || finishedStates.includes(workload.state)) return null;
  // Held (suspended by a user, or its queue stopped): it can be resumed; otherwise suspended.
  const held = workload.state === 'Pending' && workload.reason?.code === 'QueueStopped';
  const act = (what: string, action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((e: Error) => setError(`Could not ${what} ${workload.name}: ${e.message}`))
      .finally(() => setBusy(false));
  };
  return (
    <Flex direction="column" gap="2">
      {error && <Alert status="danger" title={error} />}
      <Flex gap="2">
        {held ? (
          <Button
            size="small"
            variant="secondary"
            isDisabled={busy}
            onPress={() => act('resume', () => api.setSuspended(workload, false))}
          >
            Resume
          </Button>
        ) : (
          <Button
            size="small"
            variant="secondary"
            isDisabled={busy}
            onPress={() => act('suspend', () => api.setSuspended(workload, true))}
          >
            Suspend
          </Button>
        )}
        <Button
          size="small"
          variant="primary"
          destructive
          isDisabled={busy}
          onPress={() => act('cancel', () => api.cancel(workload))}
        >
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}
