import { parseEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { Flex, Text } from '@backstage/ui';
import type { BudgetsResponse, WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { useLiveData } from '../../hooks/useLiveData';
import { errorMessage, Loadable } from '../common/Loadable';
import { ReasonText } from '../common/ReasonText';
import { formatEta } from '../common/format';
import { BudgetBar } from '../TeamCard/BudgetBar';

/** How many waiting workloads each team lists. */
const waitingShown = 3;

const byEta = (a: WorkloadSummary, b: WorkloadSummary) =>
  (a.eta ? Date.parse(a.eta) : Infinity) - (b.eta ? Date.parse(b.eta) : Infinity);

function TeamWork({ team, workloads }: { team: string; workloads?: WorkloadSummary[] }) {
  if (!workloads) return null;
  const mine = workloads.filter(w => w.team === team);
  const running = mine.filter(w => w.state === 'Running' || w.state === 'Admitted').length;
  const waiting = mine.filter(w => w.state === 'Pending').sort(byEta);
  return (
    <Flex direction="column" gap="1">
      <Text variant="body-small">
        {running} running · {waiting.length} waiting
      </Text>
      {waiting.length > 0 && (
        <ul aria-label={`Waiting workloads of ${team}`} style={{ margin: 0, paddingLeft: 18 }}>
          {waiting.slice(0, waitingShown).map(w => (
            <li key={`${w.cluster}/${w.namespace}/${w.kind}/${w.name}`}>
              <Text variant="body-small">
                <strong>
                  {w.namespace}/{w.name}
                </strong>{' '}
                starts {formatEta(w.eta, w.etaP90)}. <ReasonText reason={w.reason} />
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Flex>
  );
}

/**
 * "My teams' GPU work", for Backstage's home page: per team of the signed-in
 * user, what runs, what waits and when it is expected to start, and the
 * spend this month against the budget.
 */
export function MyTeamsCard() {
  const identity = useApi(identityApiRef);
  const api = useApi(aiPlatformApiRef);
  // Budgets load on their own, so the spend shows without waiting for the workload list.
  const teams = useLiveData(async () => {
    const [{ ownershipEntityRefs }, budgets] = await Promise.all([identity.getBackstageIdentity(), api.budgets()]);
    const names = ownershipEntityRefs.filter(r => r.startsWith('group:')).map(r => parseEntityRef(r).name);
    return { names: [...new Set(names)].sort(), budgets };
  }, [identity, api]);
  const workloads = useLiveData(() => api.listWorkloads().then(r => r.items), [api]);
  return (
    <Loadable
      data={teams}
      what="your teams' budgets"
      isEmpty={v => v.names.length === 0}
      empty={
        <Text>
          You are in no team, so there is no GPU work of yours to show. A team&apos;s workloads and budget show here for
          members of its Group in the catalog; ask a platform admin to add you to yours.
        </Text>
      }
    >
      {({ names, budgets }: { names: string[]; budgets: BudgetsResponse }) => (
        <Flex direction="column" gap="4">
          {names.map(team => {
            const budget = budgets.items.find(b => b.team === team);
            return (
              <section key={team} aria-label={`Team ${team}`}>
                <Flex direction="column" gap="2">
                  <Text as="h3" variant="title-x-small">
                    {team}
                  </Text>
                  {budget ? (
                    <BudgetBar budget={budget} currency={budgets.currency} />
                  ) : (
                    <Text variant="body-small">
                      No GPU budget is set for {team}; a platform admin sets one under aiPlatform.budgets.
                    </Text>
                  )}
                  <TeamWork team={team} workloads={workloads.value} />
                </Flex>
              </section>
            );
          })}
          {workloads.error && !workloads.value && (
            <Text variant="body-small">The workloads could not be loaded: {errorMessage(workloads.error)}</Text>
          )}
        </Flex>
      )}
    </Loadable>
  );
}
