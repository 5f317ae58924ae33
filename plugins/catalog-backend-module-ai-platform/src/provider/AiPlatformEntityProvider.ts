import type { LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import type { AiPlatformProviderConfig } from '../config';
import type { MappingContext } from '../entities/owner';
import { clusterEntities, queueEntities } from '../entities/platformEntities';
import { labels, type WorkloadSummary } from '@internal/plugin-ai-platform-common';
import { validateEntity } from '../entities/validate';
import { workloadEntities } from '../entities/workloadEntities';
import type { AiPlatformSource } from '../source/types';

/** What one run of the provider did. */
export interface ProviderRunStats {
  kind: 'full' | 'delta';
  durationMs: number;
  /** Full: entities applied; delta: entities added or changed. */
  applied: number;
  removed: number;
  invalid: number;
}

interface Emitted {
  hash: string;
  locationKey: string;
}

const hashOf = (entity: Entity) => createHash('sha256').update(JSON.stringify(entity)).digest('base64');

/**
 * Puts the AI platform's workloads, queues, clusters and GPU pools in the
 * catalog: a full mutation on the schedule, and between those, delta
 * mutations for the workloads that changed since the last poll.
 */
export class AiPlatformEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Workload entities (Components, APIs) last sent to the catalog, by entity ref. */
  private emitted = new Map<string, Emitted>();
  private readonly warnedOwners = new Set<string>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly context: MappingContext;

  constructor(
    private readonly deps: {
      source: AiPlatformSource;
      logger: LoggerService;
      config: AiPlatformProviderConfig;
      fullRunner?: SchedulerServiceTaskRunner;
      deltaRunner?: SchedulerServiceTaskRunner;
      now?: () => Date;
      onRun?: (stats: ProviderRunStats) => void;
      /** Which of these component refs exist in the catalog, provided by others than this provider. */
      componentsElsewhere?: (refs: string[]) => Promise<Set<string>>;
    },
  ) {
    this.context = {
      fallbackOwner: deps.config.fallbackOwner,
      platformOwner: deps.config.platformOwner,
      retentionMs: deps.config.retentionMs,
      now: deps.now ?? (() => new Date()),
      onUnresolvedOwner: (subject, team) => {
        if (this.warnedOwners.has(subject)) {
          return;
        }
        this.warnedOwners.add(subject);
        deps.logger.warn(
          `${subject} has ${team ? `team "${team}", which is not a valid group name` : 'no team'}; ` +
            `it is owned by ${deps.config.fallbackOwner} until it carries a ${labels.team} label naming a group`,
        );
      },
    };
  }

  getProviderName(): string {
    return 'ai-platform';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.fullRunner?.run({
      id: `${this.getProviderName()}:full`,
      fn: () => this.runLogged('full', () => this.refreshAll()),
    });
    await this.deps.deltaRunner?.run({
      id: `${this.getProviderName()}:delta`,
      fn: () => this.runLogged('delta', () => this.refreshWorkloads()),
    });
  }

  /** Full mutation: everything the platform reports replaces what this provider put in the catalog. */
  refreshAll(): Promise<ProviderRunStats> {
    return this.exclusive(async () => {
      const connection = this.connected();
      const started = Date.now();
      const [workloads, queues, clusters] = await Promise.all([
        this.deps.source.listWorkloads(),
        this.deps.source.listQueues(),
        this.deps.source.listClusters(),
      ]);
      const mapped = workloadEntities(workloads, await this.contextFor(workloads));
      const workloadSide = await this.validated(mapped, 'workload');
      const platformSide = await this.validated(
        [...clusterEntities(clusters, this.context), ...queueEntities(queues, this.context)],
        'queue or cluster',
      );
      await connection.applyMutation({
        type: 'full',
        entities: [...workloadSide.valid, ...platformSide.valid].map(toDeferred),
      });
      // Hashes of what the mapping produced (before the policies fill in defaults), as the delta compares.
      this.emitted = new Map(
        mapped.map(entity => [stringifyEntityRef(entity), { hash: hashOf(entity), locationKey: locationKeyOf(entity) }]),
      );
      return this.report({
        kind: 'full',
        durationMs: Date.now() - started,
        applied: workloadSide.valid.length + platformSide.valid.length,
        removed: 0,
        invalid: workloadSide.invalid + platformSide.invalid,
      });
    });
  }

  /** Delta mutation: the workload entities added, changed or gone since the last run. */
  refreshWorkloads(): Promise<ProviderRunStats> {
    return this.exclusive(async () => {
      const connection = this.connected();
      const started = Date.now();
      const current = new Map<string, { entity: Entity; hash: string }>();
      const workloads = await this.deps.source.listWorkloads();
      for (const entity of workloadEntities(workloads, await this.contextFor(workloads))) {
        current.set(stringifyEntityRef(entity), { entity, hash: hashOf(entity) });
      }
      const changed = [...current.entries()].filter(([ref, { hash }]) => this.emitted.get(ref)?.hash !== hash);
      const { valid, invalid } = await this.validated(changed.map(([, { entity }]) => entity), 'workload');
      const removed = [...this.emitted.entries()]
        .filter(([ref]) => !current.has(ref))
        .map(([entityRef, { locationKey }]) => ({ entityRef, locationKey }));
      if (valid.length > 0 || removed.length > 0) {
        await connection.applyMutation({ type: 'delta', added: valid.map(toDeferred), removed });
      }
      for (const { entityRef } of removed) {
        this.emitted.delete(entityRef);
      }
      // Invalid ones are remembered too, so they are reported once, not on every poll.
      for (const [ref, { entity, hash }] of changed) {
        this.emitted.set(ref, { hash, locationKey: locationKeyOf(entity) });
      }
      return this.report({
        kind: 'delta',
        durationMs: Date.now() - started,
        applied: valid.length,
        removed: removed.length,
        invalid,
      });
    });
  }

  /** The mapping context of one run: which components named by workloads exist elsewhere in the catalog. */
  private async contextFor(workloads: WorkloadSummary[]): Promise<MappingContext> {
    const refs = [...new Set(workloads.flatMap(w => (w.entityRef ? [w.entityRef] : [])))];
    if (!this.deps.componentsElsewhere || refs.length === 0) return this.context;
    try {
      return { ...this.context, componentsElsewhere: await this.deps.componentsElsewhere(refs) };
    } catch (error) {
      this.deps.logger.warn(`could not ask the catalog which components exist (${(error as Error).message}); workloads naming a component are taken for its runs this time`);
      return this.context;
    }
  }

  private async validated(entities: Entity[], what: string): Promise<{ valid: Entity[]; invalid: number }> {
    const valid: Entity[] = [];
    let invalid = 0;
    for (const entity of entities) {
      try {
        valid.push(await validateEntity(entity, what));
      } catch (error) {
        invalid += 1;
        this.deps.logger.error((error as Error).message);
      }
    }
    return { valid, invalid };
  }

  private connected(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error('The ai-platform entity provider is not connected to the catalog yet; the catalog calls connect() on startup');
    }
    return this.connection;
  }

  private report(stats: ProviderRunStats): ProviderRunStats {
    this.deps.onRun?.(stats);
    return stats;
  }

  private async runLogged(kind: string, run: () => Promise<ProviderRunStats>): Promise<void> {
    try {
      const stats = await run();
      if (stats.kind === 'full' || stats.applied > 0 || stats.removed > 0) {
        this.deps.logger.info(
          `ai-platform ${kind} mutation: ${stats.applied} applied, ${stats.removed} removed, ${stats.invalid} invalid in ${stats.durationMs} ms`,
        );
      }
    } catch (error) {
      this.deps.logger.error(`ai-platform ${kind} mutation failed, the catalog keeps the previous entities: ${(error as Error).message}`);
    }
  }

  /** Runs one mutation at a time, so a delta never interleaves with a full run. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function locationKeyOf(entity: Entity): string {
  return entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? 'ai-platform';
}

function toDeferred(entity: Entity): DeferredEntity {
  return { entity, locationKey: locationKeyOf(entity) };
}
