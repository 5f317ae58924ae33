import { demoCluster } from './testHarness';

const ns = 'team-ml-research';
const api = 'resource.k8s.io/v1';

const template = (name: string, deviceClassName: string, count: number) => ({
  apiVersion: api,
  kind: 'ResourceClaimTemplate',
  metadata: { name, namespace: ns },
  spec: { spec: { devices: { requests: [{ name: 'mig', exactly: { deviceClassName, count } }] } } },
});

const claimingPod = (name: string, templateName: string, seconds = 60) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, annotations: { 'kube-sim.io/duration-seconds': String(seconds) } },
  spec: {
    restartPolicy: 'Never',
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    resourceClaims: [{ name: 'slices', resourceClaimTemplateName: templateName }],
    containers: [{ name: 'c', image: 'pause', resources: { claims: [{ name: 'slices' }] } }],
  },
});

describe('Dynamic Resource Allocation', () => {
  let cluster: ReturnType<typeof demoCluster>;
  afterEach(() => cluster.stop());

  it('publishes a ResourceSlice per GPU node with its MIG partitions, and their DeviceClasses', () => {
    cluster = demoCluster();
    const slices = cluster.store.list(cluster.store.typeFor(api, 'ResourceSlice'));
    const mig = slices.find(s => s.spec.nodeName === 'gpu-east-a100-mig-0')!;
    const profiles = mig.spec.devices.map((d: any) => d.attributes.profile?.string);
    expect(profiles.filter((p: string) => p === '1g.10gb')).toHaveLength(32);
    expect(profiles.filter((p: string) => p === '3g.40gb')).toHaveLength(8);
    const classes = cluster.store.list(cluster.store.typeFor(api, 'DeviceClass')).map(c => c.metadata.name);
    expect(classes).toEqual(
      expect.arrayContaining(['gpu.nvidia.com', 'mig-1g.10gb.nvidia.com', 'mig-3g.40gb.nvidia.com']),
    );
  });

  it('allocates a claim from the template on a MIG node, holds the devices while the pod runs and frees them after', async () => {
    cluster = demoCluster();
    cluster.create(template('two-slices', 'mig-1g.10gb.nvidia.com', 2));
    cluster.create(claimingPod('p', 'two-slices'));
    await cluster.settle();
    const pod = cluster.get('v1', 'Pod', 'p')!;
    expect(pod.spec.nodeName).toMatch(/^gpu-east-a100-mig-/);
    expect(pod.status.resourceClaimStatuses).toEqual([{ name: 'slices', resourceClaimName: 'p-slices' }]);
    const claim = cluster.get(api, 'ResourceClaim', 'p-slices')!;
    const results = claim.status.allocation.devices.results;
    expect(results).toHaveLength(2);
    expect(results.every((r: any) => r.pool === pod.spec.nodeName && r.driver === 'gpu.nvidia.com')).toBe(true);
    expect(new Set(results.map((r: any) => r.device)).size).toBe(2);
    expect(claim.status.reservedFor).toEqual([{ resource: 'pods', name: 'p', uid: pod.metadata.uid }]);
    await cluster.advance(10);
    expect(cluster.sim.devices.ofPod(`${ns}/p`).map(d => d.resource)).toEqual([
      'nvidia.com/mig-1g.10gb',
      'nvidia.com/mig-1g.10gb',
    ]);
    await cluster.advance(60);
    expect(cluster.get('v1', 'Pod', 'p')!.status.phase).toBe('Succeeded');
    expect(cluster.get(api, 'ResourceClaim', 'p-slices')).toBeUndefined();
  });

  it('places a pod only where enough devices are free, and says so when none are', async () => {
    cluster = demoCluster();
    cluster.create(template('all-3g', 'mig-3g.40gb.nvidia.com', 8)); // a whole node's 3g.40gb partitions
    for (const name of ['a', 'b', 'c', 'd', 'e']) cluster.create(claimingPod(name, 'all-3g', 600));
    await cluster.settle();
    const nodes = ['a', 'b', 'c', 'd', 'e'].map(n => cluster.get('v1', 'Pod', n)!.spec.nodeName);
    expect(new Set(nodes.slice(0, 4)).size).toBe(4); // one per MIG node
    const waiting = cluster.get('v1', 'Pod', 'e')!;
    expect(waiting.spec.nodeName).toBeUndefined();
    expect(waiting.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        message: expect.stringContaining('Insufficient nvidia.com/mig-3g.40gb'),
      }),
    );
  });

  it('keeps a pod pending while its template is missing, and places it once the template exists', async () => {
    cluster = demoCluster();
    cluster.create(claimingPod('late', 'later'));
    await cluster.settle();
    expect(cluster.get('v1', 'Pod', 'late')!.status.conditions).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining('resourceclaimtemplate.resource.k8s.io "later" not found'),
      }),
    );
    cluster.create(template('later', 'mig-1g.10gb.nvidia.com', 1));
    await new Promise(r => setTimeout(r, 250));
    await cluster.settle();
    expect(cluster.get('v1', 'Pod', 'late')!.spec.nodeName).toMatch(/^gpu-east-a100-mig-/);
  });
});
