import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allReasonCodes, runbookPath } from './reasons';

const repoRoot = resolve(__dirname, '../../..');
const mkdocs = readFileSync(join(repoRoot, 'mkdocs.yml'), 'utf8');
// mkdocs.yml keeps nav first, then theme; the nav is the text between them.
const nav = mkdocs.slice(mkdocs.indexOf('\nnav:'), mkdocs.indexOf('\ntheme:'));
const runbookIndex = readFileSync(join(repoRoot, 'docs/runbooks/index.md'), 'utf8');

describe('runbooks', () => {
  it('mkdocs.yml has a nav before its theme', () => {
    expect(nav.length).toBeGreaterThan(0);
    expect(nav).toContain('runbooks/index.md');
  });

  it.each([...allReasonCodes])('%s has a runbook page with the four sections, in the nav and the index', code => {
    const file = join(repoRoot, 'docs/runbooks', `${code}.md`);
    expect(existsSync(file)).toBe(true);
    const page = readFileSync(file, 'utf8');
    expect(page.split('\n')[0]).toMatch(new RegExp(`^# ${code}\\b`));
    for (const section of [
      '## What it means',
      '## How to confirm',
      '## What you can do',
      '## What the platform team can do',
    ]) {
      expect(page).toContain(section);
    }
    expect(nav).toContain(`: runbooks/${code}.md`);
    expect(runbookIndex).toContain(`](${code}.md)`);
    // The frontend links to runbooks/<code>/, which mkdocs' directory URLs make of runbooks/<code>.md.
    expect(runbookPath(code)).toBe(`runbooks/${code}/`);
  });

  it('every page linked from the nav exists', () => {
    const targets = [...nav.matchAll(/:\s+(\S+\.md)\s*$/gm)].map(m => m[1]);
    const missing = targets.filter(t => !existsSync(join(repoRoot, 'docs', t)));
    expect(missing).toEqual([]);
  });
});
