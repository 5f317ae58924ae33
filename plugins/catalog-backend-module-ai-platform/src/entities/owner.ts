import { makeValidator } from '@backstage/catalog-model';

const validator = makeValidator();

/** What the mappers need besides the platform data. */
export interface MappingContext {
  /** Owner for objects whose team is missing or not a valid group name. */
  fallbackOwner: string;
  /** Owner of ClusterQueues, cohorts, clusters and GPU pools. */
  platformOwner: string;
  /** The entity whose TechDocs hold the runbooks (the workloads' techdocs-entity); default: the shipped one. */
  runbookEntityRef?: string;
  /** Finished workloads older than this are left out. */
  retentionMs: number;
  now: () => Date;
  /**
   * Components that exist in the catalog from elsewhere (e.g. a template's
   * registered catalog-info.yaml). A workload whose entityRef names one is a
   * run of it; one whose entityRef names nothing gets that Component from
   * here. Undefined when unknown: then every workload with an entityRef is
   * taken for a run.
   */
  componentsElsewhere?: ReadonlySet<string>;
  /** Told about every object that got the fallback owner. */
  onUnresolvedOwner: (subject: string, team: string | undefined) => void;
}

/** The owner ref for a team, or the fallback owner when the team is unknown. */
export function ownerFor(
  team: string | undefined,
  subject: string,
  context: MappingContext,
): { owner: string; unresolved: boolean } {
  if (team && validator.isValidEntityName(team)) {
    return { owner: `group:default/${team}`, unresolved: false };
  }
  context.onUnresolvedOwner(subject, team);
  return { owner: context.fallbackOwner, unresolved: true };
}
