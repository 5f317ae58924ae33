import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

/** The repository root (this file is packages/soak/src/processes.ts). */
// eslint-disable-next-line no-restricted-syntax -- a test tool that starts the repository's own packages
export const repoRoot = resolve(__dirname, '..', '..', '..');

const nodeTransform = require.resolve('@backstage/cli/config/nodeTransform.cjs');
// eslint-disable-next-line no-restricted-syntax -- preloaded by path into the processes it starts
export const simClockModule = join(__dirname, 'simClock.cjs');

/** Environment that puts a child process on the run's one simulated clock. */
export function clockEnv(speed: number, epochMs: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AIP_CLOCK_SPEED: String(speed),
    AIP_CLOCK_EPOCH_MS: String(epochMs),
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${simClockModule}`.trim(),
  };
}

/** A child process with its output in a log file. */
export class Managed {
  readonly exited: Promise<number | null>;

  constructor(readonly name: string, readonly child: ChildProcess, readonly log: string) {
    this.exited = new Promise(done => child.once('exit', code => done(code)));
  }

  static start(name: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }) {
    const out = createWriteStream(options.log, { flags: 'a' });
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    return new Managed(name, child, options.log);
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops it: SIGTERM, then SIGKILL when it does not exit within `graceMs` real ms. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  tail(lines = 30): string {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').slice(-lines).join('\n') : '';
  }
}

/** Waits (in real time) until `probe` returns a value, or fails with what `why` says. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, realMs: number, why: () => string): Promise<T> {
  const deadline = performance.now() + realMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (performance.now() > deadline) throw new Error(why());
    await new Promise(r => setTimeout(r, 500));
  }
}

export interface SimCluster {
  name: string;
  apiUrl: string;
  metricsUrl: string;
}

/** Starts kube-sim with the fleet file, as scripts/start does, and reads the clusters it serves from its log. */
export async function startKubeSim(options: { fleet: string; dir: string; env: NodeJS.ProcessEnv }) {
  const kubeconfig = join(options.dir, 'kubeconfig');
  const proc = Managed.start(
    'kube-sim',
    [
      '-r',
      nodeTransform,
      join(repoRoot, 'packages/kube-sim/src/cli.ts'),
      '--fleet',
      options.fleet,
      '--kubeconfig',
      kubeconfig,
    ],
    { cwd: repoRoot, env: options.env, log: join(options.dir, 'kube-sim.log') },
  );
  const clusters = await waitFor(
    async () => {
      if (!proc.running) throw new Error('exited');
      if (!existsSync(kubeconfig)) return undefined;
      const found = [
        ...readFileSync(proc.log, 'utf8').matchAll(/^cluster +(\S+) .*?(http:\/\/\S+) .*metrics +(http:\/\/\S+)/gm),
      ];
      return found.length ? found.map(m => ({ name: m[1], apiUrl: m[2], metricsUrl: m[3] })) : undefined;
    },
    120_000,
    () => `kube-sim did not start:\n${proc.tail()}`,
  );
  return { proc, kubeconfig, clusters: clusters as SimCluster[] };
}

/**
 * A TCP proxy in front of one cluster's API server, so a fault can make that
 * cluster unreachable for the backend (connections refused and cut) while
 * the observer still reads the cluster directly.
 */
export class ApiProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async start(): Promise<this> {
    this.server = net.createServer(client => {
      const upstream = net.connect(Number(this.target.port), this.target.hostname);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>(done => this.server!.listen(this.port, '127.0.0.1', done));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** Cuts every connection and stops listening: the cluster is unreachable. */
  async stop() {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>(done => (this.server ? this.server.close(() => done()) : done()));
    this.server = undefined;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
}

/** The app-config the backend gets on top of the dev instance's: clusters behind the proxies, a database both replicas share. */
export function writeBackendConfig(options: {
  dir: string;
  port: number;
  clusters: Array<{ name: string; url: string }>;
  token: string;
  postgresUrl?: string;
  runId: string;
}): string {
  const file = join(options.dir, 'app-config.soak.yaml');
  const baseUrl = `http://localhost:${options.port}`;
  const database = options.postgresUrl
    ? {
        client: 'pg',
        connection: options.postgresUrl,
        prefix: `soak_${options.runId}_`,
        // Simulated time runs fast; give the pool real seconds to hand out a connection.
        knexConfig: { pool: { acquireTimeoutMillis: 600_000 } },
      }
    : { client: 'better-sqlite3', connection: { directory: join(options.dir, 'sqlite') } };
  writeFileSync(
    file,
    stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port: options.port },
        database,
        auth: { externalAccess: [{ type: 'static', options: { token: options.token, subject: 'soak-test' } }] },
      },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: options.clusters.map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: 'kube-sim',
              skipTLSVerify: true,
              skipMetricsLookup: true,
            })),
          },
        ],
      },
    }),
  );
  return file;
}

/** Starts one backend replica the way the dev instance runs it (same entry point, same app-config). */
export function startBackend(options: { replica: string; dir: string; env: NodeJS.ProcessEnv; configs: string[] }) {
  const args = ['-r', nodeTransform, 'src/index.ts', ...options.configs.flatMap(c => ['--config', c])];
  return Managed.start(`backend-${options.replica}`, args, {
    cwd: join(repoRoot, 'packages/backend'),
    env: { ...options.env, NODE_ENV: 'development' },
    log: join(options.dir, `backend-${options.replica}.log`),
  });
}

export function writeReplicaPort(dir: string, name: string, port: number): string {
  const file = join(dir, `app-config.replica-${name}.yaml`);
  const baseUrl = `http://localhost:${port}`;
  writeFileSync(file, `app:\n  baseUrl: ${baseUrl}\nbackend:\n  baseUrl: ${baseUrl}\n  listen:\n    port: ${port}\n`);
  return file;
}

/** Whether process `pid` is `ancestor` or runs under it (the backend's entry forks nothing, but be sure). */
export function isDescendant(pid: number, ancestor: number): boolean {
  for (let p = pid, i = 0; p > 1 && i < 20; i++) {
    if (p === ancestor) return true;
    try {
      p = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}
