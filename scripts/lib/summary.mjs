// Prints the closing line CI reads, `N passed, N failed`, from the results of
// every step of scripts/test: jest's and Playwright's JSON reports plus one
// check per non-test step (type-check, lint, build).
import { existsSync, readFileSync } from 'node:fs';

const [resultsDir] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const lines = [];

const steps = existsSync(`${resultsDir}/steps.tsv`)
  ? readFileSync(`${resultsDir}/steps.tsv`, 'utf8').trim().split('\n').filter(Boolean)
  : [];
for (const row of steps) {
  const [name, status, seconds] = row.split('\t');
  if (status === 'ok') passed += 1;
  else failed += 1;
  lines.push(`  ${status === 'ok' ? 'ok  ' : 'FAIL'} ${name} (${seconds}s)`);
}

// The first lines of a failure message, without colours, so a CI excerpt that shows only the summary says why.
const firstLines = text =>
  String(text ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .map(l => `         ${l.slice(0, 300)}`);

const jestFile = `${resultsDir}/jest.json`;
if (existsSync(jestFile)) {
  const jest = JSON.parse(readFileSync(jestFile, 'utf8'));
  passed += jest.numPassedTests;
  // A test file that fails to run has no failed tests but counts as a failure.
  const brokenSuites = jest.testResults.filter(s => s.status === 'failed' && s.assertionResults.length === 0).length;
  failed += jest.numFailedTests + brokenSuites;
  lines.push(
    `  jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed, ${jest.numPendingTests} skipped, ${brokenSuites} suites failed to run`,
  );
  for (const suite of jest.testResults) {
    for (const t of suite.assertionResults) {
      if (t.status !== 'failed') continue;
      lines.push(`    FAIL ${t.fullName}`);
      lines.push(...firstLines((t.failureMessages ?? []).join('\n')));
    }
    if (suite.status === 'failed' && suite.assertionResults.length === 0) {
      lines.push(`    FAIL ${suite.name}: ${String(suite.message).split('\n')[0]}`);
    }
  }
}

const e2eFile = `${resultsDir}/e2e.json`;
if (existsSync(e2eFile)) {
  const report = JSON.parse(readFileSync(e2eFile, 'utf8'));
  const { stats } = report;
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  lines.push(
    `  browser: ${stats.expected + stats.flaky} passed (${stats.flaky} flaky), ${stats.unexpected} failed, ${
      stats.skipped
    } skipped`,
  );
  // Every browser test that failed, with its file and the first lines of its last attempt's error.
  const walk = suite => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const last = (t.results ?? []).at(-1);
        lines.push(`    FAIL ${spec.file} › ${spec.title} (${last?.status ?? 'no result'})`);
        lines.push(...firstLines(last?.error?.message));
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  for (const e of report.errors ?? []) lines.push(`    ERROR ${firstLines(e.message).join(' ').trim()}`);
}

console.log(['', 'Summary:', ...lines].join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
