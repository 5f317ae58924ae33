import type { CostDatabase } from '../database/CostDatabase';

/** What the cost ingestor writes pods' GPU intervals to. */
export type CostLedger = Pick<CostDatabase, 'ingest' | 'closeVanished'>;
