import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const packageDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(packageDir, '../..');

/** Runs the CLI as `yarn kube-sim` does; resolves with its exit code and output. */
function runCli(
  args: string[],
  untilOutput?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@backstage/cli/config/nodeTransform.cjs', 'src/cli.ts', ...args], {
      cwd: packageDir,
      env: { ...process.env, PROJECT_CWD: repoRoot },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => {
      stdout += d;
      if (untilOutput?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('exit', code => resolve({ code, stdout, stderr }));
  });
}

describe('kube-sim CLI', () => {
  it.each([
    [['--kubeconfig', '/tmp/x'], '--fleet is required'],
    [
      ['--fleet', 'examples/fleet/demo.yaml', '--kubeconfig', '/tmp/x', '--speed', 'fast'],
      '--speed must be a positive number, got "fast"',
    ],
    [['--fleet', 'examples/fleet/demo.yaml', '--kubeconfig', '/tmp/x', '--bogus'], "Unknown option '--bogus'"],
  ])(
    'rejects %j with a usage message',
    async (args, message) => {
      const { code, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain('Usage: yarn kube-sim --fleet <fleet.yaml> --kubeconfig <path>');
    },
    30_000,
  );

  it('names the file and field of an invalid fleet', async () => {
    const { code, stderr } = await runCli(['--fleet', 'package.json', '--kubeconfig', '/tmp/x']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${path.join(repoRoot, 'package.json')}: `);
  }, 30_000);

  it('starts the demo fleet, writes a kubeconfig, prints the endpoints and stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-cli-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    const state = path.join(dir, 'state.json');
    const result = await runCli(
      ['--fleet', 'examples/fleet/demo.yaml', '--kubeconfig', kubeconfig, '--state', state, '--no-generator'],
      /kubeconfig .*\n/,
    );
    const { code, stdout } = result;
    expect(result).toMatchObject({ code: 0 }); // shows stdout and stderr when it fails
    expect(stdout).toMatch(
      /^cluster gpu-east +api http:\/\/127\.0\.0\.1:\d+ +metrics http:\/\/127\.0\.0\.1:\d+\/metrics$/m,
    );
    expect(stdout).toMatch(/^cluster gpu-west /m);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('name: gpu-west');
    expect(code).toBe(0);
    expect(existsSync(state)).toBe(true);
  }, 60_000);
});
