/* eslint-disable no-console */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario, ScenarioError } from '../simulator/scenario';
import { simulate } from '../simulator/simulate';

const usage =
  'usage: yarn simulate <scenario.yaml> [--no-eta]   (prints one JSON document: events, workloads, summary; --no-eta skips measuring ETA accuracy)';

function main(argv: string[]): number {
  const noEta = argv.includes('--no-eta');
  const [file, ...rest] = argv.filter(a => a !== '--no-eta');
  if (!file || file === '--help' || rest.length > 0) {
    console.error(usage);
    return file === '--help' ? 0 : 2;
  }
  // yarn runs workspace scripts in the package folder; paths are relative to where the user typed.
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    console.error(`${file}: cannot read: ${(e as Error).message}`);
    return 1;
  }
  try {
    const result = simulate(parseScenario(text, file), { eta: !noEta });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ScenarioError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
