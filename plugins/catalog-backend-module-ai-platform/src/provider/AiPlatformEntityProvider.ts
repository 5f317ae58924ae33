import type { LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { DeferredEntity, EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import type { AiPlatformProviderConfig } from '../config';
import type { MappingContext } from '../entities/owner';
import { clusterEntities, queueEntities } from '../entities/platformEntities';
import { labels, type WorkloadSummary } from '@ai-platform/backstage-plugin-ai-platform-common';
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
  /** Whether the entity passed validation (invalid ones are remembered so they are reported once). */
  valid: boolean;
}

interface Mapped {
  ref: string;
  entity: Entity;
  hash: string;
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
      runbookEntityRef: deps.config.runbookEntityRef,
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
      const mapped = await this.mapWorkloads(workloads);
      // What the last run sent unchanged was validated then; only the rest is checked now.
      const unchanged = mapped.filter(m => this.emitted.get(m.ref)?.hash === m.hash);
      const workloadSide = await this.validated(
        mapped.filter(m => this.emitted.get(m.ref)?.hash !== m.hash),
        'workload',
      );
      const platformSide = await this.validated(
        [...clusterEntities(clusters, this.context), ...queueEntities(queues, this.context)].map(mappedOf),
        'queue or cluster',
      );
      const stillValid = unchanged.filter(m => this.emitted.get(m.ref)!.valid);
      await connection.applyMutation({
        type: 'full',
        entities: [...stillValid, ...workloadSide.valid, ...platformSide.valid].map(m => toDeferred(m.entity)),
      });
      this.emitted = new Map([
        ...unchanged.map(m => [m.ref, this.emitted.get(m.ref)!] as const),
        ...workloadSide.checked.map(m => [m.ref, emittedOf(m)] as const),
      ]);
      return this.report({
        kind: 'full',
        durationMs: Date.now() - started,
        applied: stillValid.length + workloadSide.valid.length + platformSide.valid.length,
        removed: 0,
        invalid: unchanged.length - stillValid.length + workloadSide.invalid + platformSide.invalid,
      });
    });
  }

  /** Delta mutation: the workload entities added, changed or gone since the last run. */
  refreshWorkloads(): Promise<ProviderRunStats> {
    return this.exclusive(async () => {
      const connection = this.connected();
      const started = Date.now();
      const current = new Map((await this.mapWorkloads(await this.deps.source.listWorkloads())).map(m => [m.ref, m]));
      const { valid, invalid, checked } = await this.validated(
        [...current.values()].filter(m => this.emitted.get(m.ref)?.hash !== m.hash),
        'workload',
      );
      const removed = [...this.emitted.entries()]
        .filter(([ref]) => !current.has(ref))
        .map(([entityRef, { locationKey }]) => ({ entityRef, locationKey }));
      if (valid.length > 0 || removed.length > 0) {
        await connection.applyMutation({ type: 'delta', added: valid.map(m => toDeferred(m.entity)), removed });
      }
      for (const { entityRef } of removed) {
        this.emitted.delete(entityRef);
      }
      // Invalid ones are remembered too, so they are reported once, not on every poll.
      for (const m of checked) {
        this.emitted.set(m.ref, emittedOf(m));
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

  /** Workload entities with their refs and hashes (of what the mapping produced, as runs compare). */
  private async mapWorkloads(workloads: WorkloadSummary[]): Promise<Mapped[]> {
    return workloadEntities(workloads, await this.contextFor(workloads)).map(mappedOf);
  }

  /** The mapping context of one run: which components named by workloads exist elsewhere in the catalog. */
  private async contextFor(workloads: WorkloadSummary[]): Promise<MappingContext> {
    const refs = [...new Set(workloads.flatMap(w => (w.entityRef ? [w.entityRef] : [])))];
    if (!this.deps.componentsElsewhere || refs.length === 0) return this.context;
    try {
      return { ...this.context, componentsElsewhere: await this.deps.componentsElsewhere(refs) };
    } catch (error) {
      this.deps.logger.warn(
        `could not ask the catalog which components exist (${
          (error as Error).message
        }); workloads naming a component are taken for its runs this time`,
      );
      return this.context;
    }
  }

  /** Runs each entity through the catalog's policies; the invalid ones are logged and left out. */
  private async validated(
    entities: Mapped[],
    what: string,
  ): Promise<{ valid: Mapped[]; invalid: number; checked: Array<Mapped & { valid: boolean }> }> {
    const checked: Array<Mapped & { valid: boolean }> = [];
    for (const m of entities) {
      try {
        checked.push({ ...m, entity: await validateEntity(m.entity, what), valid: true });
      } catch (error) {
        this.deps.logger.error((error as Error).message);
        checked.push({ ...m, valid: false });
      }
    }
    const valid = checked.filter(m => m.valid);
    return { valid, invalid: checked.length - valid.length, checked };
  }

  private connected(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error(
        'The ai-platform entity provider is not connected to the catalog yet; the catalog calls connect() on startup',
      );
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
      this.deps.logger.error(
        `ai-platform ${kind} mutation failed, the catalog keeps the previous entities: ${(error as Error).message}`,
      );
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

function emittedOf(m: Mapped & { valid: boolean }): Emitted {
  return { hash: m.hash, locationKey: locationKeyOf(m.entity), valid: m.valid };
}

function mappedOf(entity: Entity): Mapped {
  return { ref: stringifyEntityRef(entity), entity, hash: hashOf(entity) };
}

function toDeferred(entity: Entity): DeferredEntity {
  return { entity, locationKey: locationKeyOf(entity) };
}
