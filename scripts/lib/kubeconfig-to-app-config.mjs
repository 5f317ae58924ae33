// Turns kube-sim's kubeconfig into the app-config fragment the dev instance
// loads: Backstage's own Kubernetes cluster list, which the AI platform backend
// reuses, so there is one list of clusters.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const YAML = require('yaml');
const [kubeconfigPath] = process.argv.slice(2);
const kubeconfig = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
const users = new Map(kubeconfig.users.map(u => [u.name, u.user ?? {}]));
const clusters = new Map(kubeconfig.clusters.map(c => [c.name, c.cluster]));

const config = {
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: kubeconfig.contexts.map(({ name, context }) => ({
          name,
          url: clusters.get(context.cluster).server,
          authProvider: 'serviceAccount',
          serviceAccountToken: users.get(context.user)?.token ?? 'kube-sim',
          skipTLSVerify: true,
          skipMetricsLookup: true,
        })),
      },
    ],
  },
};
process.stdout.write(YAML.stringify(config));
