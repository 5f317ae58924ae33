import type { Decision } from '@ai-platform/scheduler';
import type { WorkloadObject } from '@ai-platform/backstage-plugin-ai-platform-node';
import { withAdmission } from '../workloads/admissionAnnotation';
import { netEffect } from './DecisionWriter';
import type { TrackedWorkload } from './trackedWorkload';

const admission = { clusterQueue: 'cq', podSets: [{ name: 'main', count: 1, flavors: { cpu: 'rf' } }] };
const admitted = (workload: string): Decision => ({
  type: 'Admitted',
  workload,
  clusterQueue: 'cq',
  admission,
  borrowing: false,
});
const preempted = (workload: string): Decision => ({
  type: 'Preempted',
  workload,
  clusterQueue: 'cq',
  preemptor: 'ns/Job/big',
  reason: 'InCohortReclamation',
  message: 'Preempted to make room for ns/Job/big',
});

function tracked(name: string, onCluster: boolean): [string, TrackedWorkload] {
  const obj: WorkloadObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'ns' }, spec: {} };
  const key = `ns/Job/${name}`;
  return [
    key,
    { key, adapter: undefined as never, obj: onCluster ? withAdmission(obj, { ...admission, admittedAt: 1 }) : obj },
  ];
}

describe('netEffect of one schedule() call', () => {
  const workloads = new Map([
    tracked('new', false),
    tracked('running', true),
    tracked('flip', false),
    tracked('moved', true),
  ]);

  it('writes only the last word per workload: evictions of admitted ones, admissions, re-admissions after their eviction', () => {
    const { evictions, admissions } = netEffect(
      [
        admitted('ns/Job/flip'),
        preempted('ns/Job/flip'),
        admitted('ns/Job/flip'),
        preempted('ns/Job/flip'),
        preempted('ns/Job/running'),
        admitted('ns/Job/new'),
        preempted('ns/Job/moved'),
        admitted('ns/Job/moved'),
      ],
      workloads,
    );
    // "flip" was admitted and taken back at the same instant: nothing reaches the cluster.
    expect(evictions.map(d => d.workload)).toEqual(['ns/Job/running']);
    expect(admissions.map(group => group.map(d => `${d.type} ${d.workload}`))).toEqual([
      ['Admitted ns/Job/new'],
      ['Preempted ns/Job/moved', 'Admitted ns/Job/moved'],
    ]);
  });
});
