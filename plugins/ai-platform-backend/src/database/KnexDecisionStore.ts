import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { DecisionRecord, DecisionStore } from './DecisionStore';
import { migratePluginDatabase } from './migrations';

const TABLE = 'ai_platform_decisions';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

interface DecisionRow {
  id: number | string;
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  uid: string;
  decision: string;
  cluster_queue: string | null;
  reason: string | null;
  message: string | null;
  assignment: string | null;
  actor: string;
  time: Date | string | number;
}

/** The admission decision log, in the plugin's database. */
export class KnexDecisionStore implements DecisionStore {
  /** Connects to the plugin database and brings its schema up to date. */
  static async create(options: { database: DatabaseService }): Promise<KnexDecisionStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migratePluginDatabase(knex);
    }
    return new KnexDecisionStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async record(decision: DecisionRecord): Promise<void> {
    await this.knex<DecisionRow>(TABLE).insert({
      cluster: decision.cluster,
      namespace: decision.namespace,
      kind: decision.kind,
      name: decision.name,
      uid: decision.uid,
      decision: decision.decision,
      cluster_queue: decision.clusterQueue ?? null,
      reason: decision.reason ?? null,
      message: decision.message ?? null,
      assignment: decision.assignment === undefined ? null : JSON.stringify(decision.assignment),
      actor: decision.actor,
      time: decision.time,
    });
  }

  async list(filter: {
    cluster?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    limit?: number;
  }): Promise<DecisionRecord[]> {
    const query = this.knex<DecisionRow>(TABLE)
      .select('*')
      .orderBy([
        { column: 'time', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.min(Math.max(filter.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT));
    for (const column of ['cluster', 'namespace', 'name', 'uid'] as const) {
      const value = filter[column];
      if (value !== undefined) query.where(column, value);
    }
    const rows: DecisionRow[] = await query;
    return rows.map(toRecord);
  }

  async lastDecision(uid: string): Promise<DecisionRecord | undefined> {
    const [last] = await this.list({ uid, limit: 1 });
    return last;
  }
}

function toRecord(row: DecisionRow): DecisionRecord {
  return {
    cluster: row.cluster,
    namespace: row.namespace,
    kind: row.kind,
    name: row.name,
    uid: row.uid,
    decision: row.decision,
    ...(row.cluster_queue !== null && { clusterQueue: row.cluster_queue }),
    ...(row.reason !== null && { reason: row.reason }),
    ...(row.message !== null && { message: row.message }),
    ...(row.assignment !== null && {
      assignment: JSON.parse(row.assignment) as unknown,
    }),
    actor: row.actor,
    // PostgreSQL returns a Date, SQLite the stored epoch milliseconds or a string.
    time: row.time instanceof Date ? row.time : new Date(row.time),
  };
}
