import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ObjectStore } from '../store/types';
import { SimClock } from '../sim/clock';
import { DeviceAllocator, type DeviceHolding } from '../sim/devices';

/** Path of the ground-truth record of GPU holdings on the metrics server. */
export const holdingsPath = '/debug/gpu-holdings';
import { dcgmFamilies } from './dcgm';
import { renderExposition } from './exposition';
import { VllmTelemetry } from './vllm';

/** The metrics of one cluster: DCGM for its GPUs and vLLM for its inference pods. */
export class ClusterTelemetry {
  private readonly vllm = new VllmTelemetry();

  constructor(
    private readonly store: ObjectStore,
    private readonly devices: DeviceAllocator,
    private readonly clock: SimClock,
  ) {}

  /** Every pod's hold on GPU devices so far (simulated ms), the ground truth of GPU time. */
  holdings(): readonly DeviceHolding[] {
    return this.devices.holdings();
  }

  /** The scrape body in Prometheus text format. */
  render(): string {
    const podType = this.store.typeFor('v1', 'Pod');
    const running = this.store.list(podType, { fieldSelector: 'status.phase=Running' });
    return renderExposition([
      ...dcgmFamilies(this.store, this.devices, this.clock),
      ...this.vllm.families(running, this.clock.now()),
    ]);
  }
}

/** Serves `GET /metrics` for one cluster. */
export async function startMetricsServer(options: {
  telemetry: ClusterTelemetry;
  host?: string;
  port?: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === holdingsPath) {
      // kube-sim's own record of GPU time, for tests and benchmarks; no product reads it.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(options.telemetry.holdings()));
      return;
    }
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('kube-sim serves metrics at GET /metrics\n');
      return;
    }
    try {
      const body = options.telemetry.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
    } catch (e) {
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`kube-sim could not render metrics: ${(e as Error).message}\n`);
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
