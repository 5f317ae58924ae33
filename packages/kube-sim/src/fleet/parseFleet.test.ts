import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { buildNodes } from './nodes';
import { FleetError, loadFleetFile, validateFleet } from './parseFleet';

const examples = path.resolve(__dirname, '../../../../examples/fleet');

describe('fleet files', () => {
  it('reads the demo fleet: two clusters, GPU pools with GFD labels, four teams', () => {
    const fleet = loadFleetFile(path.join(examples, 'demo.yaml'));
    expect(fleet.clusters.map(c => c.name)).toEqual(['gpu-east', 'gpu-west']);
    const nodes = buildNodes(fleet.clusters[0], '2026-01-01T00:00:00Z');
    const h100 = nodes.find(n => n.metadata.labels!['nvidia.com/gpu.product'] === 'NVIDIA-H100-80GB-HBM3')!;
    expect(h100.metadata.labels).toMatchObject({
      'nvidia.com/gpu.count': '8',
      'nvidia.com/gpu.memory': '81559',
      'ai-platform.io/nvlink-domain': 'h100-nvl-0',
      'cloud.provider.com/topology-rack': expect.stringContaining('rack-0'),
      'topology.kubernetes.io/zone': 'us-east-1a',
    });
    expect(h100.spec!.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    const mig = nodes.find(n => n.metadata.labels!['nvidia.com/mig.strategy'] === 'mixed')!;
    expect(mig.status!.allocatable).toMatchObject({ 'nvidia.com/mig-1g.10gb': '32', 'nvidia.com/mig-3g.40gb': '8' });
    const shared = nodes.find(n => n.metadata.labels!['nvidia.com/gpu.sharing-strategy'] === 'time-slicing')!;
    expect(shared.metadata.labels!['nvidia.com/gpu.replicas']).toBe('4');
    expect(shared.status!.allocatable['nvidia.com/gpu.shared']).toBe('16');
    expect(new Set(fleet.namespaces!.map(n => n.team))).toEqual(
      new Set(['ml-research', 'llm-serving', 'data-eng', 'agents']),
    );
  });

  it('expands the large fleet to 2,000 nodes from pool counts', () => {
    const fleet = loadFleetFile(path.join(examples, 'large.yaml'));
    const total = fleet.clusters.reduce((n, c) => n + buildNodes(c, '2026-01-01T00:00:00Z').length, 0);
    expect(total).toBe(2000);
  });

  it.each([
    [
      'a pool without a count',
      (d: any) => delete d.clusters[0].nodePools[0].count,
      'clusters[0].nodePools[0].count: must be a number',
    ],
    [
      'a misspelled field',
      (d: any) => (d.clusters[0].nodePools[0].gpus = {}),
      'clusters[0].nodePools[0].gpus: unknown field "gpus"',
    ],
    [
      'a bad quantity',
      (d: any) => (d.clusters[0].nodePools[0].memory = 'lots'),
      'clusters[0].nodePools[0].memory: "lots" is not a Kubernetes quantity',
    ],
    [
      'a stream for an undefined namespace',
      (d: any) => (d.generator.streams[0].team = 'nobody'),
      'generator.streams[0].team: namespace "team-nobody" is not defined',
    ],
    [
      'a training kind that is not batch',
      (d: any) => (d.generator.streams[0].kind = 'InferenceService'),
      'generator.streams[0].kind: a training workload must be one of',
    ],
    [
      'a bad MIG profile',
      (d: any) => (d.clusters[0].nodePools[1].gpu.mig.profiles = { '9g.1tb': 1 }),
      'clusters[0].nodePools[1].gpu.mig.profiles.9g.1tb: "9g.1tb" is not a MIG profile',
    ],
    [
      'a stream that claims GPUs through DRA and requests them too',
      (d: any) => (d.generator.streams[7].deviceClass = 'mig-1g.10gb.nvidia.com'),
      'generator.streams[7].deviceClass: claims GPUs through DRA; remove gpuResource',
    ],
    [
      'a DRA stream of a kind without a pod template',
      (d: any) => Object.assign(d.generator.streams[3], { deviceClass: 'gpu.nvidia.com' }),
      'generator.streams[3].deviceClass: works with kinds whose pod template the generator writes',
    ],
  ])('names file and field for %s', (_, mutate, message) => {
    const doc = YAML.parse(require('node:fs').readFileSync(path.join(examples, 'demo.yaml'), 'utf8'));
    mutate(doc);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, YAML.stringify(doc));
    expect(() => loadFleetFile(file)).toThrow(FleetError);
    expect(() => loadFleetFile(file)).toThrow(`${file}: ${message}`);
  });

  it('reports every problem at once, each with its field path', () => {
    const doc = YAML.parse(require('node:fs').readFileSync(path.join(examples, 'demo.yaml'), 'utf8'));
    delete doc.clusters[0].nodePools[0].count;
    doc.clusters[0].nodePools[0].labels = { tier: 1 };
    doc.clusters[1].nodePools[0].taints = [{ key: 'x', effect: 'Sometimes' }];
    let error: FleetError | undefined;
    try {
      validateFleet(doc, 'demo.yaml');
    } catch (e) {
      error = e as FleetError;
    }
    expect(error?.problems).toEqual([
      { field: 'clusters[0].nodePools[0].count', problem: 'must be a number, got nothing' },
      {
        field: 'clusters[0].nodePools[0].labels.tier',
        problem: 'must be a string (quote numbers and booleans), got number 1',
      },
      {
        field: 'clusters[1].nodePools[0].taints[0].effect',
        problem: '"Sometimes" must be one of NoSchedule, PreferNoSchedule, NoExecute',
      },
    ]);
    expect(error?.message.split('\n')).toHaveLength(3);
  });

  it('rejects a document that is not a fleet', () => {
    expect(() => validateFleet({ kind: 'Pod' }, 'x.yaml')).toThrow('x.yaml: apiVersion: must be a non-empty string');
  });
});
