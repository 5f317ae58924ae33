import { ReactNode } from 'react';
import { Alert, Button, Flex, Skeleton } from '@backstage/ui';
import type { LiveData } from '../../hooks/useLiveData';

/** Loading, error and empty states around live data. */
export function Loadable<T>(props: {
  data: LiveData<T>;
  isEmpty?: (value: T) => boolean;
  empty: ReactNode;
  children: (value: T) => ReactNode;
}) {
  const { data } = props;
  if (data.loading) {
    return (
      <Flex direction="column" gap="2" aria-busy="true" aria-label="Loading">
        <Skeleton width="100%" height={24} />
        <Skeleton width="100%" height={24} />
        <Skeleton width="60%" height={24} />
      </Flex>
    );
  }
  if (data.error && data.value === undefined) {
    return (
      <Alert
        status="danger"
        title={`Could not load from the AI platform backend: ${data.error.message}`}
        customActions={
          <Button size="small" onPress={data.retry}>
            Retry
          </Button>
        }
      />
    );
  }
  if (data.value === undefined || props.isEmpty?.(data.value)) return <>{props.empty}</>;
  return <>{props.children(data.value)}</>;
}
