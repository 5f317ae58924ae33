import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../store/MemoryStore';
import { writeKubeconfig } from '../kubeconfig';
import { startApiServer, type ApiServer } from './server';

const KUBECTL = '/usr/bin/kubectl';
const haveKubectl = existsSync(KUBECTL);
if (!haveKubectl) {
  // eslint-disable-next-line no-console
  console.warn(`kubectl tests skipped: ${KUBECTL} is missing (scripts/test installs it; or apt-get install kubectl)`);
}
const describeWithKubectl = haveKubectl ? describe : describe.skip;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describeWithKubectl('API server with kubectl', () => {
  let store: MemoryStore;
  let server: ApiServer;
  let dir: string;
  const children = new Set<ChildProcess>();

  function start(args: string[]): {
    child: ChildProcess;
    done: Promise<Result>;
    output: () => string;
  } {
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args],
      {
        env: { ...process.env, HOME: dir },
      },
    );
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', d => (stdout += d));
    child.stderr!.on('data', d => (stderr += d));
    const done = new Promise<Result>(resolve =>
      child.on('close', code => {
        children.delete(child);
        resolve({ code, stdout, stderr });
      }),
    );
    return { child, done, output: () => stdout };
  }

  async function kubectl(...args: string[]): Promise<string> {
    const result = await start(args).done;
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  async function manifest(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  const pods = () => store.typeFor('v1', 'Pod');
  const createPod = (name: string, phase: string) =>
    store.create(pods(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'c' }] },
      status: { phase },
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
    store = new MemoryStore();
    server = await startApiServer({ store });
    await writeKubeconfig(join(dir, 'kubeconfig'), [{ name: 'sim', url: server.url }]);
  });

  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists resource types with api-resources', async () => {
    const out = await kubectl('api-resources');
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^clusterqueues\s+cq\s+kueue\.x-k8s\.io\/v1beta2\s+false\s+ClusterQueue$/m);
    expect(out).toMatch(/^inferenceservices\s+isvc\s+serving\.kserve\.io\/v1beta1\s+true\s+InferenceService$/m);
  });

  it('creates with apply, then applies a change as a strategic merge patch keeping the last-applied annotation', async () => {
    const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: main
    image: ${image}
    env: [{name: MODE, value: serve}]
`;
    expect(await kubectl('apply', '-f', await manifest('pod.yaml', pod('nginx:1')))).toContain('pod/web created');
    store.updateStatus(pods(), {
      ...store.get(pods(), 'default', 'web')!,
      status: { phase: 'Running' },
    });
    expect(await kubectl('apply', '-f', await manifest('pod.yaml', pod('nginx:2')))).toContain('pod/web configured');
    const stored = store.get(pods(), 'default', 'web')!;
    expect(stored.spec.containers).toEqual([
      {
        name: 'main',
        image: 'nginx:2',
        env: [{ name: 'MODE', value: 'serve' }],
      },
    ]);
    expect(stored.status.phase).toBe('Running');
    expect(
      JSON.parse(stored.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).spec.containers[0]
        .image,
    ).toBe('nginx:2');
    expect(await kubectl('apply', '-f', join(dir, 'pod.yaml'))).toContain('pod/web unchanged');
  });

  it('applies a custom resource twice (kubectl falls back to a JSON merge patch)', async () => {
    const cq = (quota: number) => `apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: gpu}
spec:
  resourceGroups:
  - coveredResources: [nvidia.com/gpu]
    flavors: [{name: h100, resources: [{name: nvidia.com/gpu, nominalQuota: ${quota}}]}]
`;
    await kubectl('apply', '-f', await manifest('cq.yaml', cq(8)));
    expect(await kubectl('apply', '-f', await manifest('cq.yaml', cq(16)))).toContain(
      'clusterqueue.kueue.x-k8s.io/gpu configured',
    );
    const type = store.typeFor('kueue.x-k8s.io/v1beta2', 'ClusterQueue');
    expect(store.get(type, undefined, 'gpu')!.spec.resourceGroups[0].flavors[0].resources[0].nominalQuota).toBe(16);
    expect(await kubectl('get', 'cq')).toMatch(/^gpu\s+\d+s$/m);
    // As on a real cluster, a custom resource takes no strategic merge patch (kubectl patch's default).
    const strategic = await start(['patch', 'cq', 'gpu', '-p', '{"spec":{"cohort":"all"}}']).done;
    expect(strategic.stderr).toContain('strategic merge patch is not supported for custom resources');
  });

  it('patches with strategic, merge and json patches', async () => {
    store.create(pods(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y' },
        ],
      },
    });
    await kubectl('patch', 'pod', 'p', '-p', '{"spec":{"containers":[{"name":"b","image":"y2"}]}}');
    await kubectl('patch', 'pod', 'p', '--type=merge', '-p', '{"metadata":{"labels":{"team":"ml"}}}');
    await kubectl(
      'patch',
      'pod',
      'p',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/metadata/annotations","value":{"note":"hi"}}]',
    );
    const p = store.get(pods(), 'default', 'p')!;
    expect(p.spec.containers).toEqual([
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y2' },
    ]);
    expect(p.metadata.labels).toEqual({ team: 'ml' });
    expect(p.metadata.annotations).toEqual({ note: 'hi' });
    const bad = await start(['patch', 'pod', 'p', '--type=json', '-p', '[{"op":"remove","path":"/spec/missing"}]'])
      .done;
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The request is invalid: the JSON patch could not be applied');
  });

  it('gets pods as a table and filters by field selector', async () => {
    createPod('running', 'Running');
    createPod('waiting', 'Pending');
    const all = await kubectl('get', 'pods');
    expect(all).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(all).toMatch(/^running\s+0\/1\s+Running\s+0\s+\d+s$/m);
    expect(all).toMatch(/^waiting\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const running = await kubectl('get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name');
    expect(running.trim()).toBe('pod/running');
  });

  it('deletes a pod', async () => {
    store.create(pods(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'doomed', namespace: 'default' },
      spec: {},
    });
    expect(await kubectl('delete', 'pod', 'doomed')).toContain('pod "doomed" deleted');
    expect(store.get(pods(), 'default', 'doomed')).toBeUndefined();
    const again = await start(['delete', 'pod', 'doomed']).done;
    expect(again.stderr).toContain('pods "doomed" not found');
  });

  it('reports invalid objects the way Kubernetes does', async () => {
    const bad = await start(['run', 'Bad_Name', '--image=x']).done;
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"');
  });

  it('streams changes with get -w', async () => {
    const watch = start(['get', 'pods', '-w']);
    const deadline = Date.now() + 10_000;
    const until = async (condition: () => boolean) => {
      while (!condition() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
    };
    // Create the pod once kubectl's watch is open, so it arrives as a watch event rather than in the list.
    await until(() => server.openWatches() === 1);
    createPod('watched', 'Pending');
    await until(() => /watched/.test(watch.output()));
    watch.child.kill('SIGTERM');
    await watch.done;
    expect(watch.output()).toMatch(/^watched\s+0\/1\s+Pending\s+0\s+\d+s$/m);
  });
});
