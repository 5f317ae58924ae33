import path from 'node:path';
import { parseArgs } from 'node:util';
import { FleetError } from './fleet/parseFleet';
import { startKubeSim } from './index';

const usage = `Usage: yarn kube-sim --fleet <fleet.yaml> --kubeconfig <path> [options]

Starts one simulated Kubernetes cluster per cluster of the fleet file, each
with a Kubernetes API server and a Prometheus metrics endpoint (DCGM, vLLM).

Options:
  --fleet <file>        fleet file, e.g. examples/fleet/demo.yaml (required)
  --kubeconfig <file>   where to write a kubeconfig with one context per cluster (required)
  --speed <n>           simulated seconds per real second (default 1)
  --state <file>        load objects from this file at start, save them there on exit
  --no-generator        do not submit workloads from the fleet's generator
  --host <address>      address to listen on (default 127.0.0.1)
  --base-port <port>    cluster i listens on port+2i (API) and port+2i+1 (metrics); default: free ports
  --help                show this text

Relative paths are taken from the repository root.
`;

function fail(message: string): never {
  process.stderr.write(`kube-sim: ${message}\n\n${usage}`);
  process.exit(2);
}

function positiveNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        fleet: { type: 'string' },
        kubeconfig: { type: 'string' },
        speed: { type: 'string' },
        state: { type: 'string' },
        'no-generator': { type: 'boolean' },
        host: { type: 'string' },
        'base-port': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (typeof values.fleet !== 'string') fail('--fleet is required');
  if (typeof values.kubeconfig !== 'string') fail('--kubeconfig is required');
  const speed = positiveNumber('speed', values.speed as string | undefined);
  const basePort = positiveNumber('base-port', values['base-port'] as string | undefined);
  if (basePort !== undefined && (!Number.isInteger(basePort) || basePort > 65535))
    fail(`--base-port must be a port number, got "${values['base-port']}"`);

  // Yarn runs the script in the package folder and forgets where it was called from, so relative
  // paths are taken from the repository root (PROJECT_CWD), where `yarn kube-sim` is meant to run.
  const root = process.env.PROJECT_CWD ?? process.cwd();
  const resolve = (p: string) => path.resolve(root, p);
  let sim;
  try {
    sim = await startKubeSim({
      fleet: resolve(values.fleet),
      kubeconfigPath: resolve(values.kubeconfig),
      speed,
      basePort,
      host: values.host as string | undefined,
      generator: values['no-generator'] ? false : undefined,
      stateFile: typeof values.state === 'string' ? resolve(values.state) : undefined,
    });
  } catch (e) {
    if (e instanceof FleetError) {
      process.stderr.write(`kube-sim: the fleet file is invalid: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(
      `kube-sim: ${signal}, stopping${values.state ? ` and saving state to ${resolve(values.state as string)}` : ''}\n`,
    );
    try {
      await sim!.stop();
      process.exit(0);
    } catch (e) {
      process.stderr.write(`kube-sim: error while stopping: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const lines = sim.clusters.map(c => `cluster ${c.name.padEnd(12)} api ${c.url}  metrics ${c.metricsUrl}`);
  process.stdout.write(
    `${lines.join('\n')}\nkubeconfig ${resolve(values.kubeconfig)} (contexts: ${sim.clusters
      .map(c => c.name)
      .join(', ')}), speed ${speed ?? 1}x\n`,
  );
}

main().catch(e => {
  process.stderr.write(`kube-sim: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
