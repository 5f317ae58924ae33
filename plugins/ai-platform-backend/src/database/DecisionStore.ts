/**
 * The admission decision log. The database layer (KnexDecisionStore)
 * implements it; the controller records every admission decision through it.
 */
export interface DecisionRecord {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  uid: string;
  /** Admitted, Preempted, Evicted, Suspended, Finished, Submitted, Cancelled */
  decision: string;
  clusterQueue?: string;
  reason?: string;
  message?: string;
  /** JSON of the assignment (flavors per pod set) for admissions. */
  assignment?: unknown;
  /** who: 'controller' or a user entity ref */
  actor: string;
  time: Date;
}

export interface DecisionStore {
  record(decision: DecisionRecord): Promise<void>;
  /** Most recent first. */
  list(filter: {
    cluster?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    limit?: number;
  }): Promise<DecisionRecord[]>;
  /** The admission currently recorded for a workload uid, to never admit twice after a restart. */
  lastDecision(uid: string): Promise<DecisionRecord | undefined>;
}
