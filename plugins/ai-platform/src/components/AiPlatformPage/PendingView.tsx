import { useApi } from '@backstage/core-plugin-api';
import { Text } from '@backstage/ui';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { PendingExplorer } from './PendingExplorer';

/** Every workload that waits, in any cluster, with why and when it is expected to start. */
export function PendingView() {
  const api = useApi(aiPlatformApiRef);
  const pending = useLiveData(() => api.listWorkloads({ state: 'Pending' }).then(r => r.items), [api]);
  return (
    <Loadable
      data={pending}
      what="the pending workloads"
      isEmpty={v => v.length === 0}
      empty={
        <Text>
          Nothing is waiting: every queued workload of your teams has been admitted. Submit one from a template under
          Create to see it queue here.
        </Text>
      }
    >
      {v => <PendingExplorer workloads={v} />}
    </Loadable>
  );
}
