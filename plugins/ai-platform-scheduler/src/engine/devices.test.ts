import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { devicesPerPod, type PodResourceClaims } from '../config/deviceClaims';
import { parseEngineOptions, parseQueueObjects } from '../config/parse';
import type { DeviceClassMapping } from '../config/types';
import { parseScenario } from '../simulator/scenario';
import { simulate } from '../simulator/simulate';
import { unmappedDeviceClass, withDeviceQuota } from './devices';
import { Engine } from './Engine';
import type { Workload } from './types';

type Request = Record<string, unknown>;
const exact = (deviceClassName: string, count: number, more: Request = {}) => ({
  name: 'req',
  exactly: { deviceClassName, allocationMode: 'ExactCount', count, ...more },
});
const template = (...requests: Request[]) => ({
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceClaimTemplate',
  spec: { spec: { devices: { requests } } },
});

/** The objects of Kueue's Test_GetResourceRequests: claim-tmpl-1 asks for 2 devices of test-deviceclass-1. */
const templates: Record<string, unknown> = {
  'claim-tmpl-1': template(exact('test-deviceclass-1', 2)),
  'claim-tmpl-2': template(exact('test-deviceclass-2', 1)),
  'claim-tmpl-3': template(exact('test-deviceclass-1', 2)),
  'claim-tmpl-all': template(exact('test-deviceclass-1', 0, { allocationMode: 'All' })),
  'claim-tmpl-constraints': {
    spec: {
      spec: {
        devices: {
          requests: [exact('test-deviceclass-1', 1), { ...exact('test-deviceclass-1', 1), name: 'gpu-2' }],
          constraints: [{ requests: ['gpu-1', 'gpu-2'], matchAttribute: 'numa-node' }],
        },
      },
    },
  },
  'claim-tmpl-first': template({ name: 'req', firstAvailable: [{ name: 'a', deviceClassName: 'test-deviceclass-1' }] }),
  'claim-tmpl-empty': template({ name: 'req' }),
  'claim-tmpl-admin': template(exact('test-deviceclass-1', 1, { adminAccess: true })),
  'claim-tmpl-mixed': template(exact('test-deviceclass-1', 2), exact('test-deviceclass-1', 1, { adminAccess: true })),
  'claim-tmpl-empty-mode': template(exact('test-deviceclass-1', 2, { allocationMode: '' })),
  'claim-tmpl-config': {
    spec: { spec: { devices: { requests: [exact('test-deviceclass-1', 1)], config: [{ requests: ['req'] }] } } },
  },
};
const mappings: DeviceClassMapping[] = [
  { name: 'res-1', deviceClassNames: ['test-deviceclass-1', 'gpu-class'] },
  { name: 'res-2', deviceClassNames: ['test-deviceclass-2'] },
];
/**
 * The upstream pod claims from claim-tmpl-1 and the shared ResourceClaim claim-2, which that function skips because
 * the workload controller refused the workload before (the last case); here it is left out.
 */
const basePod: PodResourceClaims = { resourceClaims: [{ name: 'req-1', resourceClaimTemplateName: 'claim-tmpl-1' }] };
const claims = (...names: string[]): PodResourceClaims => ({
  resourceClaims: names.map((n, i) => ({ name: `req-${i}`, resourceClaimTemplateName: n })),
});

/** Per-pod quota the pod set is charged, in whole devices, after the mapping. */
function quotaOf(spec: PodResourceClaims, maps: DeviceClassMapping[]) {
  const devices = devicesPerPod(spec, name => templates[name]);
  const w: Workload = {
    key: 'ns1/wl',
    namespace: 'ns1',
    name: 'wl',
    queue: 'lq',
    priority: 0,
    creationTime: 0,
    podSets: [{ name: 'main', count: 1, requests: {}, devices }],
  };
  const problem = unmappedDeviceClass(w, maps);
  if (problem) throw new Error(problem.message);
  const requests = withDeviceQuota(w, maps).podSets[0].requests;
  return Object.fromEntries(Object.entries(requests).map(([r, milli]) => [r, milli / 1000]));
}

describe('DRA device requests counted as quota (Kueue pkg/dra/claims_test.go Test_GetResourceRequests)', () => {
  it.each<[string, PodResourceClaims, Record<string, number> | RegExp, DeviceClassMapping[]?]>([
    ['Single claim template with single device', basePod, { 'res-1': 2 }],
    [
      'Unmapped DeviceClass returns error',
      basePod,
      /DeviceClass test-deviceclass-1 is not mapped in DRA configuration for podset main/,
      [],
    ],
    [
      'Two containers each using different claim templates',
      claims('claim-tmpl-1', 'claim-tmpl-2'),
      { 'res-1': 2, 'res-2': 1 },
    ],
    // Containers name claims; a claim shared by two containers (or an init container) is still one claim.
    ['Two containers sharing one claim template', claims('claim-tmpl-1'), { 'res-1': 2 }],
    ['Single template requesting two devices', claims('claim-tmpl-3'), { 'res-1': 2 }],
    ['Init and regular container sharing one template', claims('claim-tmpl-1'), { 'res-1': 2 }],
    [
      'AllocationMode All returns error',
      claims('claim-tmpl-all'),
      /exactly\.allocationMode: AllocationMode 'All' is not supported/,
    ],
    ['Device constraints are pass-through and counted correctly', claims('claim-tmpl-constraints'), { 'res-1': 2 }],
    [
      'FirstAvailable returns error',
      claims('claim-tmpl-first'),
      /requests\[0\]: FirstAvailable device selection is not supported/,
    ],
    [
      'Exactly and FirstAvailable are nil returns error',
      claims('claim-tmpl-empty'),
      /requests\[0\]: Exactly must be set/,
    ],
    ['AdminAccess request is skipped with zero quota', claims('claim-tmpl-admin'), {}],
    ['Mixed AdminAccess and normal requests counts only normal', claims('claim-tmpl-mixed'), { 'res-1': 2 }],
    ['Device config is pass-through and counted correctly', claims('claim-tmpl-config'), { 'res-1': 1 }],
    // test/integration/singlecluster/controller/dra/dra_test.go
    [
      'Should admit workload with empty AllocationMode that defaults to ExactCount',
      claims('claim-tmpl-empty-mode'),
      { 'res-1': 2 },
    ],
    // pkg/controller/core/workload_controller_dra_test.go
    [
      'reconcile DRA ResourceClaim should be rejected as inadmissible',
      { resourceClaims: [{ name: 'req-2', resourceClaimName: 'claim-2' }] },
      /resourceClaims\[0\]\.resourceClaimName: a shared ResourceClaim \(claim-2\) cannot be counted as quota/,
    ],
    [
      'reconcile DRA ResourceClaimTemplate not found should return error',
      claims('missing-template'),
      /resourceClaims\[0\]\.resourceClaimTemplateName: ResourceClaimTemplate missing-template not found/,
    ],
  ])('%s', (_name, spec, want, maps = mappings) => {
    const got = attempt(() => quotaOf(spec, maps));
    const wanted = want instanceof RegExp ? { error: want.source } : { value: want };
    expect(
      'error' in got ? { error: want instanceof RegExp && want.test(got.error) ? want.source : got.error } : got,
    ).toEqual(wanted);
  });
});

describe('resources.deviceClassMappings (Kueue pkg/config/validation_test.go)', () => {
  const parse = (deviceClassMappings: unknown) => () => parseEngineOptions({ resources: { deviceClassMappings } });

  it('reads each resource and its DeviceClasses', () => {
    expect(parse([{ name: 'gpus', deviceClassNames: ['gpu.nvidia.com'] }])().deviceClassMappings).toEqual([
      { name: 'gpus', deviceClassNames: ['gpu.nvidia.com'] },
    ]);
  });

  it.each([
    [
      'a DeviceClass mapped to two resources',
      [
        { name: 'a', deviceClassNames: ['x.example.com'] },
        { name: 'b', deviceClassNames: ['x.example.com'] },
      ],
      /resources\.deviceClassMappings\[1\]\.deviceClassNames\[0\]: DeviceClass x\.example\.com is already mapped to resource a/,
    ],
    [
      'a mapping without DeviceClasses',
      [{ name: 'a', deviceClassNames: [] }],
      /deviceClassMappings\[0\]\.deviceClassNames: must name at least one/,
    ],
    ['a mapping without a name', [{ deviceClassNames: ['x'] }], /deviceClassMappings\[0\]\.name: is required/],
  ])('refuses %s, naming the field', (_name, value, message) => {
    expect(parse(value)).toThrow(message);
  });
});

describe('DRA devices in the engine', () => {
  const objects = parseQueueObjects([
    { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'mig' } },
    {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'ClusterQueue',
      metadata: { name: 'cq' },
      spec: {
        namespaceSelector: {},
        resourceGroups: [
          {
            coveredResources: ['mig-1g.10gb'],
            flavors: [{ name: 'mig', resources: [{ name: 'mig-1g.10gb', nominalQuota: 4 }] }],
          },
        ],
      },
    },
    {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'LocalQueue',
      metadata: { name: 'lq', namespace: 'ns' },
      spec: { clusterQueue: 'cq' },
    },
  ]);
  const options = parseEngineOptions({
    resources: { deviceClassMappings: [{ name: 'mig-1g.10gb', deviceClassNames: ['mig-1g.10gb.nvidia.com'] }] },
  });
  const job = (name: string, count: number, creationTime: number): Workload => ({
    key: `ns/${name}`,
    namespace: 'ns',
    name,
    queue: 'lq',
    priority: 0,
    creationTime,
    podSets: [{ name: 'workers', count, requests: {}, devices: { 'mig-1g.10gb.nvidia.com': 2 } }],
  });

  it('admits a job whose claims fit the mapped quota and holds the next one with the resource short', () => {
    const engine = new Engine(objects, options);
    engine.submit(job('first', 2, 1));
    engine.submit(job('second', 1, 2));
    expect(engine.schedule(0).map(d => `${d.type} ${d.workload}`)).toEqual(['Admitted ns/first']);
    const [pending] = engine.pending();
    expect(pending.workload).toBe('ns/second');
    expect(pending.reason.message).toContain('mig-1g.10gb');
    engine.remove('ns/first');
    expect(engine.schedule(1).map(d => `${d.type} ${d.workload}`)).toEqual(['Admitted ns/second']);
  });

  it('keeps a job whose DeviceClass is not mapped out of the queue, saying how to map it', () => {
    const engine = new Engine(objects); // no mappings
    engine.submit(job('first', 1, 1));
    expect(engine.schedule(0)).toEqual([]);
    expect(engine.pending()[0].reason).toMatchObject({
      code: 'NoMatchingFlavor',
      kueueReason: 'Misconfigured',
      message: expect.stringContaining('resources.deviceClassMappings'),
    });
  });
});

describe('examples/scenarios/dra-mig-partitions.yaml', () => {
  const file = resolve(__dirname, '../../../../examples/scenarios/dra-mig-partitions.yaml');
  const result = simulate(parseScenario(readFileSync(file, 'utf8'), file));

  it('counts MIG partitions as quota: borrowing, reclaim and the bigger partition class', () => {
    const admitted = Object.fromEntries(Object.entries(result.workloads).map(([k, w]) => [k, w.admittedAt]));
    expect(admitted).toMatchObject({
      'ml-research/sweep': 0,
      'ml-research/big-slice': 20,
      'notebooks/notebook': 60,
    });
    expect(result.workloads['ml-research/eval'].evictions).toBe(1);
  });

  it('leaves the unmapped DeviceClass pending as misconfigured', () => {
    expect(result.workloads['notebooks/unmapped'].pendingReason).toMatchObject({ kueueReason: 'Misconfigured' });
  });
});

/**
 * Kueue's test/integration/singlecluster/controller/dra/dra_test.go, each spec as one engine run: ClusterQueues with
 * quota for resource `foo` (DeviceClass foo.example.com), workloads of `pods` pods claiming `each` devices of `class`.
 */
describe('DRA quota (Kueue test/integration/singlecluster/controller/dra/dra_test.go)', () => {
  type Spec = {
    cqs: Array<[name: string, foo: number, cohort?: string]>;
    wls: Array<[name: string, cq: string, pods: number, each: number, deviceClass?: string]>;
  };
  const run = ({ cqs, wls }: Spec) => {
    const config = parseQueueObjects([
      { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ResourceFlavor', metadata: { name: 'rf' } },
      ...cqs.flatMap(([name, foo, cohort]) => [
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'ClusterQueue',
          metadata: { name },
          spec: {
            ...(cohort && { cohort }),
            namespaceSelector: {},
            resourceGroups: [
              { coveredResources: ['foo'], flavors: [{ name: 'rf', resources: [{ name: 'foo', nominalQuota: foo }] }] },
            ],
          },
        },
        {
          apiVersion: 'kueue.x-k8s.io/v1beta1',
          kind: 'LocalQueue',
          metadata: { name, namespace: 'ns' },
          spec: { clusterQueue: name },
        },
      ]),
    ]);
    const engine = new Engine(
      config,
      parseEngineOptions({
        resources: { deviceClassMappings: [{ name: 'foo', deviceClassNames: ['foo.example.com'] }] },
      }),
    );
    wls.forEach(([name, cq, pods, each, deviceClass = 'foo.example.com'], i) =>
      engine.submit({
        key: `ns/${name}`,
        namespace: 'ns',
        name,
        queue: cq,
        priority: 0,
        creationTime: i,
        podSets: [{ name: 'main', count: pods, requests: {}, devices: { [deviceClass]: each } }],
      }),
    );
    engine.schedule(0);
    const usage = Object.fromEntries(engine.usage().map(u => [u.clusterQueue, u]));
    const admitted = [...engine.workloads()].filter(s => s.status === 'admitted').map(s => s.workload.name);
    return { admitted, usage, pending: engine.pending() };
  };

  it.each<[string, Spec, string[]]>([
    [
      'Should handle multiple workloads sharing DRA quota',
      {
        cqs: [['cq', 10]],
        wls: [
          ['test-wl-1', 'cq', 1, 4],
          ['test-wl-2', 'cq', 1, 4],
        ],
      },
      ['test-wl-1', 'test-wl-2'],
    ],
    [
      'Should admit workload with DRA resource claim templates',
      { cqs: [['cq', 10]], wls: [['test-wl-template', 'cq', 1, 2]] },
      ['test-wl-template'],
    ],
    [
      'Should handle multiple workloads with ResourceClaimTemplates',
      {
        cqs: [['cq', 10]],
        wls: [
          ['test-wl-template-1', 'cq', 1, 3],
          ['test-wl-template-2', 'cq', 1, 3],
        ],
      },
      ['test-wl-template-1', 'test-wl-template-2'],
    ],
    [
      'Should handle ResourceClaimTemplate with insufficient quota',
      { cqs: [['cq', 10]], wls: [['test-wl-template-large', 'cq', 1, 12]] },
      [],
    ],
    [
      'Should handle unmapped device classes with proper error',
      { cqs: [['cq', 10]], wls: [['test-wl-unmapped', 'cq', 1, 2, 'unmapped.example.com']] },
      [],
    ],
    [
      'Should handle multi-pod workloads with correct DRA resource calculation',
      { cqs: [['cq', 10]], wls: [['test-wl-multi-pod', 'cq', 3, 1]] },
      ['test-wl-multi-pod'],
    ],
    [
      'Should borrow DRA quota from another ClusterQueue in the cohort',
      {
        cqs: [
          ['prod', 5, 'dra-cohort'],
          ['dev', 5, 'dra-cohort'],
        ],
        wls: [['borrow-wl', 'prod', 7, 1]],
      },
      ['borrow-wl'],
    ],
    [
      'Should not admit DRA workload when cohort capacity is exhausted',
      {
        cqs: [
          ['prod', 5, 'dra-cohort'],
          ['dev', 5, 'dra-cohort'],
        ],
        wls: [
          ['prod-full', 'prod', 5, 1],
          ['dev-full', 'dev', 5, 1],
          ['overflow-wl', 'prod', 1, 1],
        ],
      },
      ['prod-full', 'dev-full'],
    ],
  ])('%s', (_name, spec, admitted) => {
    const result = run(spec);
    expect(result.admitted.sort()).toEqual([...admitted].sort());
    // Every admitted device is one unit of foo, and no ClusterQueue's cohort gives more than it has.
    const devices = spec.wls.filter(w => admitted.includes(w[0])).reduce((sum, w) => sum + w[2] * w[3], 0);
    const used = Object.values(result.usage).reduce((sum, u) => sum + u.resources[0].used, 0);
    expect(used).toBe(devices * 1000);
  });

  it('reports the borrowed DRA quota as Kueue does (Total 7, Borrowed 2)', () => {
    const { usage } = run({
      cqs: [
        ['prod', 5, 'dra-cohort'],
        ['dev', 5, 'dra-cohort'],
      ],
      wls: [['borrow-wl', 'prod', 7, 1]],
    });
    expect(usage.prod.resources[0]).toMatchObject({ resource: 'foo', used: 7000, borrowed: 2000 });
  });

  it('names the unmapped DeviceClass (Should handle unmapped device classes with proper error)', () => {
    const { pending } = run({ cqs: [['cq', 10]], wls: [['test-wl-unmapped', 'cq', 1, 2, 'unmapped.example.com']] });
    expect(pending[0].reason).toMatchObject({
      kueueReason: 'Misconfigured',
      message: expect.stringMatching(/DeviceClass unmapped\.example\.com is not mapped/),
    });
  });
});

/** What a call returns, or the message it throws. */
function attempt<T>(call: () => T): { value: T } | { error: string } {
  try {
    return { value: call() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
