/* eslint-disable no-console */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { percentile } from '@ai-platform/backstage-plugin-ai-platform-common';
import { holdingsPath, type DeviceHolding } from '@ai-platform/kube-sim';
import { compareLedger } from './ledger';
import { EtaObserver } from './eta';
import { allocated, catalogWorkloads, childRefs, restView } from './fleet';
import { InvariantChecker, invariantNames, isGpuResource, mean, queueModel } from './invariants';
import { BackendApi, ClusterObserver } from './observe';
import {
  ApiProxy,
  clockEnv,
  isDescendant,
  Managed,
  repoRoot,
  startBackend,
  startKubeSim,
  waitFor,
  writeBackendConfig,
  writeReplicaPort,
} from './processes';

const usage = `Usage: soak [--sim-minutes N] [--speed S] [--no-faults] [--json FILE] [--eta-warm-up RUNS]
Runs kube-sim's demo fleet and the real backend on one simulated clock (S× real time),
observes both clusters from outside every 30 simulated seconds, injects faults, and checks
Kueue's invariants and the ledger against kube-sim's own record of its pods. Exits 1 on any
violation. ETA accuracy counts workloads first seen waiting after RUNS (default 20) have succeeded.
PostgreSQL (AIP_TEST_POSTGRES_URL) lets two replicas share a database; without it
the second-replica fault is skipped.`;

function args() {
  const argv = process.argv.slice(2);
  const value = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  if (argv.includes('--help')) {
    console.log(usage);
    process.exit(0);
  }
  return {
    simMinutes: Number(value('--sim-minutes', '60')),
    speed: Number(value('--speed', '10')),
    faults: !argv.includes('--no-faults'),
    etaWarmUp: Number(value('--eta-warm-up', '20')),
    json: argv.includes('--json') ? value('--json', '') : undefined,
    fleet: resolve(value('--fleet', join(repoRoot, 'examples/fleet/demo.yaml'))),
    queues: resolve(value('--queues', join(repoRoot, 'examples/queues/demo.yaml'))),
  };
}

async function main() {
  const opts = args();
  const epoch = Date.now();
  const simNow = () => epoch + (Date.now() - epoch) * opts.speed;
  const realMs = (simMs: number) => simMs / opts.speed;
  const sleepSim = (simMs: number) => new Promise(r => setTimeout(r, realMs(simMs)));
  const runId = epoch.toString(36);
  const dir = join(repoRoot, '.tools', 'soak', runId);
  mkdirSync(dir, { recursive: true });
  const env = clockEnv(opts.speed, epoch);
  const log = (msg: string) => console.log(`[soak +${Math.round((simNow() - epoch) / 60_000)} sim-min] ${msg}`);
  log(`run ${runId}: ${opts.simMinutes} simulated minutes at ${opts.speed}× (logs in ${dir})`);

  const procs: Managed[] = [];
  const proxies: ApiProxy[] = [];
  const stopAll = async () => {
    await Promise.all(procs.map(p => p.stop()));
    await Promise.all(proxies.map(p => p.stop()));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().then(() => process.exit(130)));
  }
  try {
    const sim = await startKubeSim({ fleet: opts.fleet, dir, env });
    procs.push(sim.proc);
    for (const c of sim.clusters) proxies.push(await new ApiProxy(new URL(c.apiUrl)).start());
    const token = randomBytes(24).toString('base64url');
    const port = 7300 + Math.floor(Math.random() * 500);
    const postgresUrl = process.env.AIP_TEST_POSTGRES_URL;
    const config = writeBackendConfig({
      dir,
      port,
      token,
      postgresUrl,
      runId,
      clusters: sim.clusters.map((c, i) => ({ name: c.name, url: proxies[i].url })),
    });
    const configs = [join(repoRoot, 'app-config.yaml'), config];
    const replicas = new Map<string, Managed>();
    const startReplica = async (name: string, replicaPort = port) => {
      const replicaConfig = replicaPort === port ? configs : [...configs, writeReplicaPort(dir, name, replicaPort)];
      const proc = startBackend({ replica: name, dir, env, configs: replicaConfig });
      procs.push(proc);
      replicas.set(name, proc);
      await waitFor(
        async () => {
          if (!proc.running) throw new Error('exited');
          const res = await fetch(`http://localhost:${replicaPort}/api/ai-platform/health`);
          return res.ok ? true : undefined;
        },
        600_000,
        () => `backend ${name} did not start within 10 minutes; its log is ${proc.log}`,
      );
      log(`backend replica ${name} is up on :${replicaPort}`);
    };
    await startReplica('a');
    const api = new BackendApi(`http://localhost:${port}`, token);
    const observer = new ClusterObserver(sim.kubeconfig);
    // Each cluster's queues as the backend gets them: the shared objects with the cluster's own on top.
    const models = new Map(
      observer.clusters.map(c => {
        const own = join(dirname(opts.queues), `${basename(opts.queues, '.yaml')}-${c}.yaml`);
        const objects = [
          ...parse(readFileSync(opts.queues, 'utf8')),
          ...(existsSync(own) ? parse(readFileSync(own, 'utf8')) : []),
        ];
        return [c, queueModel(objects)];
      }),
    );
    const checkers = new Map(
      observer.clusters.map(c => [c, new InvariantChecker(models.get(c)!, 3 * 60_000, 8 * 60_000)]),
    );
    const violationsFromCatalog: Array<{
      invariant: 'childNeverAWorkload';
      at: number;
      cluster: string;
      detail: string;
    }> = [];
    const violations = () => [...[...checkers.values()].flatMap(c => c.violations), ...violationsFromCatalog];
    const preemptions = () => [...checkers.values()].reduce((n, c) => n + c.preemptions, 0);
    const metricsBase = new Map(sim.clusters.map(c => [c.name, new URL(c.metricsUrl).origin]));

    // The measured run starts once the backend is up; faults at fixed points of it, in simulated time.
    const begin = simNow();
    const end = begin + opts.simMinutes * 60_000;
    const at = (fraction: number) => begin + fraction * (end - begin);
    const restart = async (name: string) => {
      const proc = replicas.get(name)!;
      await proc.stop();
      await startReplica(name, name === 'a' ? port : port + 1);
    };
    const killLeader = async () => {
      // The replica whose process holds the leases (identity: <host>-<pid>-<random>).
      const leases = await observer.leaseHolders();
      const pids = new Set(leases.map(h => Number(h.split('-').slice(-2, -1)[0])));
      for (const [name, proc] of replicas) {
        if (proc.child.pid !== undefined && [...pids].some(p => isDescendant(p, proc.child.pid!))) {
          log(`killing leader replica ${name} (SIGKILL)`);
          await proc.stop('SIGKILL');
          replicas.delete(name);
          if (name === 'a') api.useBaseUrl(`http://localhost:${port + 1}`);
          return;
        }
      }
      log(`no replica found holding the leases ${[...leases].join(', ')}; killing replica a`);
      await replicas.get('a')?.stop('SIGKILL');
      replicas.delete('a');
      api.useBaseUrl(`http://localhost:${port + 1}`);
    };
    const outage = async () => {
      const i = Math.min(1, proxies.length - 1);
      await proxies[i].stop();
      await sleepSim(60_000);
      await proxies[i].start();
    };

    const faults: Array<{ at: number; name: string; run: () => Promise<void> }> = opts.faults
      ? [
          { at: at(0.2), name: 'restart the backend', run: () => restart('a') },
          { at: at(0.35), name: 'restart the backend again', run: () => restart('a') },
          ...(postgresUrl
            ? [
                { at: at(0.5), name: 'start a second replica', run: () => startReplica('b', port + 1) },
                { at: at(0.6), name: 'kill the leader', run: () => killLeader() },
              ]
            : []),
          {
            at: at(0.75),
            name: `cut ${sim.clusters[1]?.name ?? sim.clusters[0].name} off for a minute`,
            run: () => outage(),
          },
        ]
      : [];
    const allocation: number[] = [];
    const allocationWhileWaiting: number[] = [];
    const admittedAfter = new Map<string, { kind: string; seconds: number }>();
    const etas = new EtaObserver(begin, { minWaitSeconds: 60, warmUpRuns: opts.etaWarmUp });
    let last = simNow();
    let samples = 0;
    let apiErrors = 0;
    while (simNow() < end) {
      const started = performance.now();
      const due = faults.filter(f => f.at <= simNow());
      for (const f of due) {
        faults.splice(faults.indexOf(f), 1);
        log(`fault: ${f.name}`);
        void f.run().catch(e => log(`fault ${f.name} failed: ${e}`));
      }
      const now = simNow();
      const snapshots = await Promise.all(observer.clusters.map(c => observer.snapshot(c)));
      let rest: { queues: any; workloads: any } | undefined;
      try {
        const [queues, workloads] = await Promise.all([
          api.get<any>('/api/ai-platform/queues'),
          api.get<any>('/api/ai-platform/workloads'),
        ]);
        rest = { queues, workloads };
      } catch (e) {
        apiErrors++; // the backend is restarting: the cluster side is still checked next time
      }
      if (!rest) {
        for (const snapshot of snapshots) checkers.get(snapshot.cluster)!.check(snapshot, undefined, now, now - last);
      } else {
        let used = 0;
        let waitingUsed = 0;
        let waitingCapacity = 0;
        let capacity = 0;
        for (const snapshot of snapshots) {
          const view = restView(snapshot.cluster, rest);
          checkers.get(snapshot.cluster)!.check(snapshot, view, now, now - last);
          etas.observe(snapshot.cluster, view.workloads, snapshot, now);
          const pending = view.workloads.filter(
            w =>
              (w.state === 'Pending' || w.state === 'Preempted') &&
              w.podSets.some(ps => Object.keys(ps.requests).some(isGpuResource)),
          );
          const a = allocated(snapshot, models.get(snapshot.cluster)!, pending);
          used += a.used;
          capacity += a.capacity;
          waitingUsed += a.waiting.used;
          waitingCapacity += a.waiting.capacity;
          for (const w of view.workloads) {
            if (w.admittedAt && !admittedAfter.has(w.uid))
              admittedAfter.set(w.uid, {
                kind: w.kind,
                seconds: (Date.parse(w.admittedAt) - Date.parse(w.createdAt)) / 1000,
              });
          }
        }
        // The catalog, every 10 samples: no child of a managed workload is an entity.
        if (samples % 10 === 0) {
          for (const snapshot of snapshots) {
            const children = childRefs(snapshot);
            for (const ref of await catalogWorkloads(api)) {
              if (children.has(ref))
                violationsFromCatalog.push({
                  invariant: 'childNeverAWorkload',
                  at: now,
                  cluster: snapshot.cluster,
                  detail: `${ref} is in the catalog`,
                });
            }
          }
        }
        const share = capacity ? used / capacity : 0;
        allocation.push(share);
        if (waitingCapacity > 0) allocationWhileWaiting.push(waitingUsed / waitingCapacity);
        samples++;
        if (samples % 20 === 0)
          log(
            `allocation ${(share * 100).toFixed(1)} %, ${violations().length} violations, ${preemptions()} preemptions`,
          );
      }
      last = now;
      const spent = performance.now() - started;
      await new Promise(r => setTimeout(r, Math.max(0, realMs(30_000) - spent)));
    }

    // The ledger against kube-sim's own record, over a window the ingest has certainly covered.
    const windowEnd = simNow() - 3 * 60_000;
    await sleepSim(2 * 60_000);
    const holdings = new Map<string, DeviceHolding[]>();
    for (const [cluster, base] of metricsBase) {
      holdings.set(cluster, (await (await fetch(`${base}${holdingsPath}`)).json()) as DeviceHolding[]);
    }
    const snapshots = await Promise.all(observer.clusters.map(c => observer.snapshot(c)));
    const ledger = await compareLedger({ api, models, holdings, snapshots, from: epoch, to: windowEnd });
    const all = [
      ...violations(),
      ...ledger.mismatches.map(detail => ({
        invariant: 'ledgerMatchesPods' as const,
        at: windowEnd,
        cluster: '*',
        detail,
      })),
    ];

    const byKind = new Map<string, number[]>();
    for (const { kind, seconds } of admittedAfter.values()) byKind.set(kind, [...(byKind.get(kind) ?? []), seconds]);
    const report = {
      run: runId,
      simulatedMinutes: opts.simMinutes,
      speed: opts.speed,
      samples,
      apiUnavailableSamples: apiErrors,
      meanAllocation: mean(allocation),
      meanAllocationWhileWorkWaits: mean(allocationWhileWaiting),
      quotaHeldByNothingGpuHours: [...checkers.values()].reduce((n, c) => n + c.heldByNothingGpuMs, 0) / 3_600_000,
      timeToAdmissionSeconds: Object.fromEntries(
        [...byKind].map(([kind, xs]) => [kind, { n: xs.length, mean: mean(xs), p95: percentile(xs, 95) }]),
      ),
      preemptions: preemptions(),
      eta: etas.figures(),
      ledger: ledger.summary,
      violations: Object.fromEntries(invariantNames.map(n => [n, all.filter(v => v.invariant === n).length])),
      firstViolations: all.slice(0, 20),
    };
    if (opts.json) writeFileSync(opts.json, JSON.stringify(report, null, 2));
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `mean fleet GPU allocation ${(report.meanAllocation * 100).toFixed(1)} % (${(
        report.meanAllocationWhileWorkWaits * 100
      ).toFixed(1)} % while work waits)`,
    );
    console.log(
      `quota held by nothing: ${report.quotaHeldByNothingGpuHours.toFixed(2)} GPU-hours; preemptions: ${
        report.preemptions
      }`,
    );
    const e = report.eta;
    const figure = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(3));
    for (const [what, f] of [
      [`after ${e.settings.warmUpRuns} succeeded`, e],
      ['warm-up included', e.includingWarmUp],
    ] as const)
      console.log(
        `ETA at first sight (${what}): median relative error ${figure(f.medianRelativeError)}, p90 ${figure(
          f.p90RelativeError,
        )} over ${f.measured} that waited ≥ ${e.settings.minWaitSeconds} s; interval coverage ${figure(
          f.intervalCoverage,
        )}`,
      );
    for (const n of invariantNames) console.log(`violations of ${n}: ${report.violations[n]}`);
    process.exitCode = all.length ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(2);
});
