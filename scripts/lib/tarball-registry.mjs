// A read-only npm registry on loopback serving the packed tarballs of a folder,
// so the fresh-app test can run the install guide's `yarn add` lines unchanged,
// as if the packages were published. Only what Yarn asks for: a package's
// metadata (GET /<name>) and its tarball (GET /-/<file>).
//   node scripts/lib/tarball-registry.mjs <folder of .tgz> <port>
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error('usage: node scripts/lib/tarball-registry.mjs <folder of .tgz> <port>');
  process.exit(2);
}

const packages = new Map();
for (const file of readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const tarball = readFileSync(join(dir, file));
  const manifest = JSON.parse(
    execFileSync('tar', ['xzf', join(dir, file), '-O', 'package/package.json'], { encoding: 'utf8' }),
  );
  packages.set(manifest.name, { file, tarball, manifest });
}

function packument({ file, tarball, manifest }) {
  const published = new Date().toISOString();
  return {
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    time: { created: published, modified: published, [manifest.version]: published },
    versions: {
      [manifest.version]: {
        ...manifest,
        dist: {
          tarball: `http://localhost:${port}/-/${file}`,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
        },
      },
    },
  };
}

createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  const byFile = path.startsWith('/-/') && [...packages.values()].find(p => p.file === path.slice(3));
  const byName = packages.get(path.slice(1));
  if (byFile) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(byFile.tarball);
  } else if (byName) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument(byName)));
  } else {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `${path}: not here` }));
  }
}).listen(Number(port), '127.0.0.1', () => {
  console.log(`serving ${[...packages.keys()].join(', ')} on http://localhost:${port}`);
});
