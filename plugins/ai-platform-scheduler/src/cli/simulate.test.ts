import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const packageDir = resolve(__dirname, '../..');
const twoTeams = resolve(packageDir, '../../examples/scenarios/two-teams.yaml');

/** Runs the CLI as `yarn simulate` does, in a real node process. */
function simulateCli(...args: string[]) {
  const env = { ...process.env };
  delete env.INIT_CWD;
  const child = spawnSync(
    process.execPath,
    ['-r', '@backstage/cli/config/nodeTransform.cjs', 'src/cli/simulate.ts', ...args],
    {
      cwd: packageDir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('the simulate CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the simulation of a valid scenario as JSON', () => {
    const { status, stdout, stderr } = simulateCli(twoTeams);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['events', 'workloads', 'summary']));
    expect(result.workloads['ml-research/too-big'].pendingReason.code).toBe('ExceedsQueueMaximum');
    expect(result.events).toContainEqual(
      expect.objectContaining({ type: 'Admitted', workload: 'llm-serving/llama-70b', time: 60 }),
    );
  }, 60_000);

  it('exits non-zero naming the file, the object and the field of a broken scenario', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'objects:',
        '  - { apiVersion: kueue.x-k8s.io/v1beta1, kind: ResourceFlavor, metadata: { name: default } }',
        '  - apiVersion: kueue.x-k8s.io/v1beta1',
        '    kind: ClusterQueue',
        '    metadata: { name: team }',
        '    spec:',
        '      resourceGroups:',
        '        - coveredResources: [nvidia.com/gpu]',
        '          flavors: [{ name: default, resources: [{ name: nvidia.com/gpu }] }]',
        'workloads: []',
      ].join('\n'),
    );
    const { status, stdout, stderr } = simulateCli(file);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `${file}: objects: ClusterQueue/team: spec.resourceGroups[0].flavors[0].resources[0].nominalQuota: is required`,
    );
  }, 60_000);

  it.each([
    ['a file that does not exist', ['missing.yaml'], 1, 'missing.yaml: cannot read'],
    ['no file', [], 2, 'usage: yarn simulate <scenario.yaml>'],
  ])(
    'exits non-zero for %s',
    (_, args, code, message) => {
      const { status, stderr } = simulateCli(...args);
      expect(status).toBe(code);
      expect(stderr).toContain(message);
    },
    60_000,
  );
});
