/** One decision about one workload, as the decision log keeps it. */
export interface DecisionRecord {
  /** The workload's cluster. */
  cluster: string;
  /** The workload's namespace. */
  namespace: string;
  /** The workload's kind (Job, JobSet, ...). */
  kind: string;
  /** The workload's name. */
  name: string;
  /** The workload object's uid. */
  uid: string;
  /** Admitted, Preempted, Evicted, Suspended, Finished, Submitted, Cancelled */
  decision: string;
  /** The ClusterQueue that decided. */
  clusterQueue?: string;
  /** Why, as a reason code (the workload's Event has the same). */
  reason?: string;
  /** Why, in a sentence. */
  message?: string;
  /** JSON of the assignment (flavors per pod set) for admissions. */
  assignment?: unknown;
  /** who: 'controller' or a user entity ref */
  actor: string;
  /** When it was decided. */
  time: Date;
}

/**
 * The admission decision log. The database layer (KnexDecisionStore)
 * implements it; the controller records every admission decision through it.
 */
export interface DecisionStore {
  /** Appends a decision. */
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
