import type { ReactNode } from 'react';
import { Flex } from '@backstage/ui';
import type { LiveData } from '../../hooks/useLiveData';
import { useSearchParam } from '../../hooks/useSearchParam';
import { ClusterFilter } from './ClusterFilter';
import { Loadable } from './Loadable';

/**
 * A view of live data over one cluster or all of them: loading, error and
 * empty states, the cluster picker (its choice in the URL's `cluster`, so a
 * link reproduces the view), then the body for the picked cluster ('' for all).
 */
export function ClusterView<T>(props: {
  data: LiveData<T>;
  /** What is loaded, for the error: "the fleet". */
  what: string;
  isEmpty: (value: T) => boolean;
  empty: ReactNode;
  clustersOf: (value: T) => string[];
  children: (value: T, cluster: string) => ReactNode;
}) {
  const [cluster, setCluster] = useSearchParam('cluster', '');
  return (
    <Loadable data={props.data} what={props.what} isEmpty={props.isEmpty} empty={props.empty}>
      {v => (
        <Flex direction="column" gap="3">
          <ClusterFilter clusters={props.clustersOf(v)} value={cluster} onChange={setCluster} />
          {props.children(v, cluster)}
        </Flex>
      )}
    </Loadable>
  );
}
