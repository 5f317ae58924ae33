import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from '../store/types';
import { Discovery } from './discovery';
import type { ApiContext } from './handlers/context';
import { sendJson } from './handlers/response';
import type { ServerVersion } from './nonResource';
import { ListPager } from './pagination';
import { createRouter } from './router';
import { statusFor } from './status';
import { JsonCache } from './watch';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  store: ObjectStore;
  host?: string;
  port?: number;
  /** Sent as the X-Kube-Sim-Cluster response header, so a client can tell simulated clusters apart. */
  clusterName?: string;
  version?: ServerVersion;
  /** How often watches with allowWatchBookmarks=true get a BOOKMARK (default 10 s). */
  bookmarkIntervalMs?: number;
}

/** A running API server. */
export interface ApiServer {
  url: string;
  close(): Promise<void>;
  /** Ends every open watch cleanly, as an apiserver restart or watch timeout would; clients resume. */
  dropWatches(): number;
  /** How many watch streams are open (tests wait on it). */
  openWatches(): number;
}

/** Starts a Kubernetes-API-compatible HTTP server over an ObjectStore. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const api: ApiContext = {
    store: options.store,
    json: new JsonCache(),
    pager: new ListPager(),
    watches: new Set(),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
  };
  const version = options.version ?? { major: '1', minor: '31', gitVersion: 'v1.31.0-kube-sim' };
  let address = '';
  const route = createRouter(api, new Discovery(options.store.resourceTypes), version, () => address);

  const server = createServer((req, res) => {
    if (options.clusterName) res.setHeader('X-Kube-Sim-Cluster', options.clusterName);
    route(req, res).catch(error => {
      const status = statusFor(error);
      if (res.headersSent) res.end();
      else sendJson(res, status.code, status);
    });
  });
  server.keepAliveTimeout = 30_000;
  // Watches are long-lived requests; never cut them for taking long.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address: host, port } = server.address() as AddressInfo;
  address = `${host}:${port}`;

  const dropWatches = () => {
    const open = [...api.watches];
    open.forEach(w => w.end());
    return open.length;
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    dropWatches,
    openWatches: () => api.watches.size,
    close: async () => {
      dropWatches();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
