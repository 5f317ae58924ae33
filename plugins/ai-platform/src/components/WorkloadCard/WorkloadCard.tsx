import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
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
      isEmpty={v => v.length === 0}
      empty={
        ref ? (
          <Text>
            {ref.kind} {ref.namespace}/{ref.name} is no longer on cluster {ref.cluster}
            {lastState ? ` (last seen ${lastState})` : ''}: it finished and was cleaned up, or it was deleted. The
            catalog keeps this entry for a while; its costs stay in the AI Platform page&apos;s cost explorer.
          </Text>
        ) : (
          <Text>No workload of this component is known to the AI platform.</Text>
        )
      }
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
