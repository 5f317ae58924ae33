import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity, useEntityOwnership } from '@backstage/plugin-catalog-react';
import { Card, CardBody, CardHeader, Flex, Skeleton, Text } from '@backstage/ui';
import { annotations, type WorkloadRef } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { Loadable } from '../common/Loadable';
import { WorkloadDetails } from './WorkloadDetails';

/** "cluster/namespace/kind/name" from the entity's ai-platform.io/workload annotation. */
export function workloadRefOf(value: string | undefined): WorkloadRef | undefined {
  const parts = value?.split('/');
  return parts?.length === 4 ? { cluster: parts[0], namespace: parts[1], kind: parts[2], name: parts[3] } : undefined;
}

function NoWorkload() {
  return (
    <Text>
      No workload of this component is known to the AI platform. Its workloads need the label backstage.io/kubernetes-id
      with this component&apos;s name, or create one from a template under Create.
    </Text>
  );
}

/**
 * Why the backend does not show a workload the catalog lists: the signed-in
 * user is not in the owning team (the API hides other teams' workloads), or
 * it is gone from its cluster.
 */
function NotOnCluster({ workloadRef: ref, lastState }: { workloadRef: WorkloadRef; lastState?: string }) {
  const { entity } = useEntity();
  const { loading, isOwnedEntity } = useEntityOwnership();
  const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (loading) return <Skeleton width="100%" height={20} />;
  if (!isOwnedEntity(entity)) {
    const owner = String(entity.spec?.owner ?? 'another team').replace(/^group:(default\/)?/, '');
    return (
      <Text>
        You may not see this team&apos;s workloads: {what} on cluster {ref.cluster} belongs to {owner}, and the AI
        platform shows a workload to its team&apos;s members and platform admins only. Ask {owner} to add you to the
        team, or ask a platform admin.
      </Text>
    );
  }
  return (
    <Text>
      {what} is no longer on cluster {ref.cluster}
      {lastState ? ` (last seen ${lastState})` : ''}: it finished and was cleaned up, or it was deleted. The catalog
      keeps this entry for a while; its costs stay in the AI Platform page&apos;s cost explorer.
    </Text>
  );
}

/** How many workloads (runs) of one component are shown. */
const shown = 5;

function EntityWorkloads({ full }: { full: boolean }) {
  const { entity } = useEntity();
  const api = useApi(aiPlatformApiRef);
  const ref = workloadRefOf(entity.metadata.annotations?.[annotations.workload]);
  const entityRef = stringifyEntityRef(entity);
  const lastState = entity.metadata.annotations?.['ai-platform.io/workload-state'];
  const data = useLiveData(
    () =>
      ref
        ? api.getWorkload(ref).then(
            w => [w],
            // Gone from its cluster (finished and cleaned up, or deleted): the entity outlives it.
            e => ((e as { statusCode?: number }).statusCode === 404 ? [] : Promise.reject(e)),
          )
        : api.listWorkloads({ entityRef }).then(r => r.items),
    [api, ref?.cluster, ref?.namespace, ref?.kind, ref?.name, entityRef],
  );
  return (
    <Loadable
      data={data}
      what="this workload"
      isEmpty={v => v.length === 0}
      empty={ref ? <NotOnCluster workloadRef={ref} lastState={lastState} /> : <NoWorkload />}
    >
      {items => (
        <Flex direction="column" gap="4">
          {items.slice(0, shown).map(w => (
            <WorkloadDetails key={`${w.cluster}/${w.namespace}/${w.kind}/${w.name}`} workload={w} full={full} />
          ))}
          {items.length > shown && (
            <Text variant="body-small">and {items.length - shown} more runs; the AI Platform page lists them all.</Text>
          )}
        </Flex>
      )}
    </Loadable>
  );
}

/**
 * The AI workload card: state, why it waits, position and ETA, assignment,
 * cost, and actions for those allowed. Works on entities made by the catalog
 * module (annotation ai-platform.io/workload) and on components whose
 * workloads carry their backstage.io/kubernetes-id (their runs).
 */
export function WorkloadCard() {
  return (
    <Card>
      <CardHeader>
        <Text variant="title-x-small">AI workload</Text>
      </CardHeader>
      <CardBody>
        <EntityWorkloads full={false} />
      </CardBody>
    </Card>
  );
}

/** The AI workload tab: the card's details plus condition timeline, GPU utilization, inference figures and recent events. */
export function WorkloadContent() {
  return (
    <Card>
      <CardBody>
        <EntityWorkloads full />
      </CardBody>
    </Card>
  );
}
