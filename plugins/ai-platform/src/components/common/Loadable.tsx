import { ReactNode } from 'react';
import { Alert, Button, Flex, Skeleton } from '@backstage/ui';
import type { LiveData } from '../../hooks/useLiveData';

/** The backend's own sentence for a failed request (a ResponseError carries it as its cause), else the error's message. */
export function errorMessage(error: Error): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  return cause?.message ?? error.message;
}

/** What to try after a failed request, by its HTTP status. */
export function remedyFor(error: Error): string {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 401) return 'Sign in again, then retry.';
  if (status === 403) return 'Your account may not see this; ask a platform admin for access.';
  if (status === 400) return 'Check the filters in the page address.';
  if (status === undefined || status >= 500)
    return 'The AI platform backend did not answer; retry in a moment, or ask a platform admin to check its logs.';
  return 'Retry in a moment.';
}

/** Loading skeletons, then an error that says what failed and what to try, an empty state, or the content. */
export function Loadable<T>(props: {
  data: LiveData<T>;
  /** What is loaded, for the error: "the pending workloads". */
  what?: string;
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
        title={`Could not load ${props.what ?? 'this view'} from the AI platform backend: ${errorMessage(data.error)}`}
        description={remedyFor(data.error)}
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
