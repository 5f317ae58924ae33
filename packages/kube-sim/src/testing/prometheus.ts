import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const prometheusBinary = '/usr/bin/prometheus';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  url: string;
  /** Instant query; [] until Prometheus answers. */
  query(promql: string): Promise<VectorResult[]>;
  /** Polls `promql` until `accept` returns true, or fails after `timeoutMs` with Prometheus's log. */
  waitFor(promql: string, accept: (result: VectorResult[]) => boolean, timeoutMs?: number): Promise<VectorResult[]>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's real Prometheus scraping the given /metrics URLs every
 * second (for integration tests of the telemetry and of cost accounting).
 */
export async function startPrometheus(metricsUrls: string[]): Promise<RunningPrometheus> {
  if (!existsSync(prometheusBinary)) {
    throw new Error(
      `${prometheusBinary} is missing: run scripts/test (it installs the Debian prometheus package) or apt-get install prometheus`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-prometheus-'));
  const targets = metricsUrls.map(u => new URL(u));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      ...targets.flatMap((t, i) => [
        `  - job_name: dcgm-exporter-${i}`,
        '    honor_labels: true',
        `    metrics_path: ${t.pathname}`,
        '    static_configs:',
        `      - targets: ['${t.host}']`,
      ]),
      '',
    ].join('\n'),
  );
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(
    prometheusBinary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', d => (log += d));
  child.stderr!.on('data', d => (log += d));
  const url = `http://127.0.0.1:${port}`;

  const query = async (promql: string): Promise<VectorResult[]> => {
    try {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      if (!res.ok) return [];
      return ((await res.json()) as { data: { result: VectorResult[] } }).data.result;
    } catch {
      return []; // not listening yet
    }
  };

  return {
    url,
    query,
    async waitFor(promql, accept, timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
        const result = await query(promql);
        if (accept(result)) return result;
        if (Date.now() > deadline)
          throw new Error(
            `Prometheus gave no acceptable answer to ${promql} within ${timeoutMs} ms; last ${JSON.stringify(
              result,
            )}\n${log.slice(-2000)}`,
          );
        await new Promise(r => setTimeout(r, 500));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(r => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
