import type { LoggerService } from '@backstage/backend-plugin-api';
import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { ClusterClient, statusOf } from '../clusters/ClusterClient';

/** Where replicas of the backend elect the one that admits. */
export const leaseNamespace = 'ai-platform-system';
export const leaseName = 'ai-platform-admission';

export interface LeaseTiming {
  /** How long a lease is valid without renewal (default 15 s). */
  durationMs: number;
  /** How often the holder renews and others try to take over (default 5 s). */
  renewMs: number;
}

export const defaultLeaseTiming: LeaseTiming = { durationMs: 15_000, renewMs: 5_000 };

/**
 * Leader election on a coordination.k8s.io/v1 Lease, one per cluster. The
 * holder counts as leader only while its last successful renewal is younger
 * than the lease duration, so a holder cut off from the API server stops
 * admitting before anyone else may take over.
 */
export class LeaderLease {
  private timer?: NodeJS.Timeout;
  private renewedAt = 0;
  private wasLeader = false;
  private stopped = true;

  constructor(
    private readonly client: ClusterClient,
    readonly identity: string,
    private readonly logger: LoggerService,
    private readonly onChange: (leader: boolean) => void,
    private readonly timing: LeaseTiming = defaultLeaseTiming,
    private readonly now: () => number = Date.now,
  ) {}

  get leader(): boolean {
    return this.renewedAt > 0 && this.now() - this.renewedAt < this.timing.durationMs;
  }

  start() {
    this.stopped = false;
    void this.tick();
  }

  /** Stops renewing and gives the lease up so another replica takes over at once. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.leader) {
      this.renewedAt = 0;
      try {
        const lease = await this.client.coordination.readNamespacedLease({
          name: leaseName,
          namespace: leaseNamespace,
        });
        if (lease.spec?.holderIdentity === this.identity) {
          lease.spec.holderIdentity = undefined;
          await this.client.coordination.replaceNamespacedLease({
            name: leaseName,
            namespace: leaseNamespace,
            body: lease,
          });
        }
      } catch (e) {
        this.logger.debug(`could not release lease ${leaseNamespace}/${leaseName}: ${(e as Error).message}`);
      }
    }
    this.report();
  }

  private async tick() {
    try {
      if (await this.tryAcquireOrRenew()) this.renewedAt = this.now();
    } catch (e) {
      this.logger.debug(`lease ${leaseNamespace}/${leaseName}: ${(e as Error).message}`);
    }
    this.report();
    if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.timing.renewMs);
  }

  private report() {
    const leader = this.leader;
    if (leader !== this.wasLeader) {
      this.wasLeader = leader;
      this.logger.info(`${this.identity} ${leader ? 'became' : 'is no longer'} the admitting leader`);
      this.onChange(leader);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const api = this.client.coordination;
    const nowDate = new V1MicroTime(this.now());
    let lease: V1Lease;
    try {
      lease = await api.readNamespacedLease({ name: leaseName, namespace: leaseNamespace });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      await this.ensureNamespace();
      return this.write(() =>
        api.createNamespacedLease({
          namespace: leaseNamespace,
          body: {
            metadata: { name: leaseName, namespace: leaseNamespace },
            spec: {
              holderIdentity: this.identity,
              leaseDurationSeconds: this.timing.durationMs / 1000,
              acquireTime: nowDate,
              renewTime: nowDate,
              leaseTransitions: 0,
            },
          },
        }),
      );
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity;
    if (holder && holder !== this.identity) {
      const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
      const duration = (spec.leaseDurationSeconds ?? this.timing.durationMs / 1000) * 1000;
      if (this.now() < renewed + duration) return false;
    }
    const taking = holder !== this.identity;
    lease.spec = {
      ...spec,
      holderIdentity: this.identity,
      leaseDurationSeconds: this.timing.durationMs / 1000,
      renewTime: nowDate,
      ...(taking ? { acquireTime: nowDate, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
    };
    // The resourceVersion in `lease` makes this fail with 409 when another replica wrote first.
    return this.write(() => api.replaceNamespacedLease({ name: leaseName, namespace: leaseNamespace, body: lease }));
  }

  private async write(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (e) {
      if (statusOf(e) === 409) return false;
      throw e;
    }
  }

  private async ensureNamespace() {
    try {
      await this.client.core.createNamespace({ body: { metadata: { name: leaseNamespace } } });
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
    }
  }
}
