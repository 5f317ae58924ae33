import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/*
 * The rule: kube-sim's own annotations and API group (`kube-sim.io`) hold the
 * simulator's ground truth (true run times, activity profiles). Only
 * packages/kube-sim may use them. In every other package, product code never
 * mentions `kube-sim.io`; tests, test utilities, fixtures, end-to-end tests
 * and benchmarks may, to set up kube-sim and to check the product against its
 * truth. A file counts as a test when its name has `.test.` or it lies under
 * `__testUtils__/`, `__fixtures__/`, `e2e-tests/` or `bench/`.
 */
const repoRoot = resolve(__dirname, '../../..');
const sourceFile = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
const skippedDirs = new Set(['node_modules', 'dist', 'dist-types', 'coverage', '.git']);
const testDirs = new Set(['__testUtils__', '__fixtures__', 'e2e-tests', 'bench']);

function productSources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name) && !testDirs.has(entry.name)) productSources(join(dir, entry.name), out);
    } else if (sourceFile.test(entry.name) && !entry.name.includes('.test.')) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

function packagesOutsideKubeSim(): string[] {
  return ['plugins', 'packages'].flatMap(top =>
    readdirSync(join(repoRoot, top), { withFileTypes: true })
      .filter(d => d.isDirectory() && !(top === 'packages' && d.name === 'kube-sim'))
      .map(d => join(repoRoot, top, d.name)),
  );
}

describe('no oracle', () => {
  const files = packagesOutsideKubeSim().flatMap(dir => productSources(dir));

  it('scans the product sources of every package but kube-sim', () => {
    const scanned = files.map(f => relative(repoRoot, f));
    expect(scanned).toContain('plugins/ai-platform-backend/src/workloads/summary.ts');
    expect(scanned).toContain('plugins/ai-platform-scheduler/src/engine/Engine.ts');
    expect(scanned.some(f => f.startsWith('packages/kube-sim/'))).toBe(false);
    expect(scanned.some(f => f.includes('.test.'))).toBe(false);
  });

  it('no product code outside packages/kube-sim reads kube-sim.io annotations or objects', () => {
    const offenders = files
      .filter(f => readFileSync(f, 'utf8').includes('kube-sim.io'))
      .map(f => relative(repoRoot, f));
    expect(offenders).toEqual([]);
  });
});
