import { useApi } from '@backstage/core-plugin-api';
import { Skeleton, Text } from '@backstage/ui';
import type { WorkloadEvent, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { relativeTime } from '../common/format';

/** How many events the tab lists. */
const recent = 10;

/** Newest first. */
export const byRecency = (a: WorkloadEvent, b: WorkloadEvent) => Date.parse(b.time) - Date.parse(a.time);

/** The workload's most recent Kubernetes events, newest first, warnings marked. */
export function WorkloadEvents({ workload }: { workload: WorkloadSummary }) {
  const api = useApi(aiPlatformApiRef);
  const { cluster, namespace, kind, name } = workload;
  const data = useLiveData(
    () => api.workloadEvents({ cluster, namespace, kind, name }),
    [api, cluster, namespace, kind, name],
  );
  if (data.loading) return <Skeleton width="100%" height={20} aria-label="Loading events" />;
  if (!data.value)
    return (
      <Text variant="body-small">
        Events could not be loaded: {data.error?.message ?? 'no answer from the backend'}.
      </Text>
    );
  if (data.value.length === 0)
    return <Text variant="body-small">No Kubernetes events (the cluster keeps them for about an hour).</Text>;
  const events = [...data.value].sort(byRecency).slice(0, recent);
  return (
    <ul aria-label="Recent Kubernetes events" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {events.map((e, i) => (
        <li key={`${e.time}-${e.reason}-${i}`} style={{ padding: '3px 0', borderBottom: '1px solid #8882' }}>
          <Text as="div" variant="body-small">
            <strong style={{ color: e.type === 'Warning' ? '#c62828' : undefined }}>
              {e.type === 'Warning' ? 'Warning ' : ''}
              {e.reason}
            </strong>{' '}
            {e.message}
          </Text>
          <Text as="div" variant="body-x-small" color="secondary">
            <time dateTime={e.time}>{relativeTime(e.time)}</time>
            {e.count > 1 ? ` · ${e.count} times` : ''}
            {e.source ? ` · ${e.source}` : ''}
          </Text>
        </li>
      ))}
    </ul>
  );
}
