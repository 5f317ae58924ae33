import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

describe('the typed client of the ai-platform REST API', () => {
  it('is generated from the current OpenAPI spec (yarn generate:openapi after changing it)', () => {
    // openapi-typescript exports no CLI path; it is hoisted to the repository's node_modules.
    const cli = resolve(__dirname, '../../../../node_modules/openapi-typescript/bin/cli.js');
    const spec = resolve(__dirname, '../../../ai-platform-backend/src/schema/openapi.yaml');
    const generated = execFileSync(process.execPath, [cli, spec], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(generated).toBe(readFileSync(resolve(__dirname, 'openapi.generated.ts'), 'utf8'));
  });
});
