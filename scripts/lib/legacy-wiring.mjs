// Applies docs/install.md's legacy frontend wiring (App.tsx, Root.tsx,
// EntityPage.tsx) to an app made with `create-app --legacy`, for
// scripts/lib/fresh-app.sh --legacy: the snippets are read from the guide, and
// each goes where the guide's comment says.
//   node scripts/lib/legacy-wiring.mjs <guide> <app dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [guidePath, appDir] = process.argv.slice(2);
const guide = readFileSync(guidePath, 'utf8');
const legacy = guide.slice(guide.indexOf('**Legacy frontend system**'), guide.indexOf('## 4.'));
const blocks = [...legacy.matchAll(/```tsx\n([\s\S]*?)```/g)].map(m => m[1]);

function block(file) {
  const found = blocks.find(b => b.startsWith(`// ${file}`));
  if (!found) throw new Error(`the guide's legacy section has no block for ${file}`);
  return found;
}

/** The block's parts: its imports, then one part per `// <where>:` comment. */
function parts(text) {
  const lines = text.split('\n').slice(1);
  // Imports run until the first line that is not part of one (a comment before an import belongs to it).
  const importEnd = lines.findIndex(
    (l, i) =>
      l !== '' &&
      !l.startsWith('import') &&
      !/^\s|^}/.test(l) &&
      !(l.startsWith('//') && lines[i + 1]?.startsWith('import')),
  );
  const imports = lines.slice(0, importEnd).join('\n');
  const rest = {};
  let where = 'declarations';
  for (const line of lines.slice(importEnd)) {
    const comment = /^\/\/ (.*):$/.exec(line);
    if (comment) where = comment[1];
    else rest[where] = `${rest[where] ?? ''}${line}\n`;
  }
  return { imports, ...rest };
}

/** Adds imports, merging names into an existing import of the same module. */
function addImports(source, imports) {
  for (const [, names, module] of imports.matchAll(/import \{([^}]*)\} from '([^']+)';/g)) {
    const existing = new RegExp(`import \\{([^}]*)\\} from '${module.replace(/[/.]/g, '\\$&')}';`).exec(source);
    const wanted = names
      .split(',')
      .map(n => n.trim())
      .filter(Boolean);
    if (existing) {
      const have = existing[1]
        .split(',')
        .map(n => n.trim())
        .filter(Boolean);
      const merged = [...have, ...wanted.filter(n => !have.includes(n))];
      source = source.replace(existing[0], `import {\n  ${merged.join(',\n  ')},\n} from '${module}';`);
    } else {
      source = `import { ${wanted.join(', ')} } from '${module}';\n${source}`;
    }
  }
  for (const [line] of imports.matchAll(/^import \w+ from '[^']+';$/gm)) {
    if (!source.includes(line)) source = `${line}\n${source}`;
  }
  return source;
}

function insert(source, anchor, text, { before = false } = {}) {
  const at = source.indexOf(anchor);
  if (at < 0) throw new Error(`anchor not found: ${anchor}`);
  const index = before ? at : source.indexOf('\n', at + anchor.length) + 1;
  return source.slice(0, index) + text + source.slice(index);
}

function edit(relative, change) {
  const path = join(appDir, 'packages/app/src', relative);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

edit('App.tsx', source => {
  const app = parts(block('packages/app/src/App.tsx'));
  source = addImports(source, app.imports);
  const routes = app['inside <FlatRoutes>'];
  const create = /<Route path="\/create"[\s\S]*?<\/Route>\n/.exec(routes)[0];
  source = source.replace('<Route path="/create" element={<ScaffolderPage />} />\n', create);
  return insert(source, '</FlatRoutes>', routes.replace(create, ''), { before: true });
});

edit('components/Root/Root.tsx', source => {
  const [header, ...rest] = block('packages/app/src/components/Root/Root.tsx').split('\n');
  const imports = rest.filter(l => l.startsWith('import')).join('\n');
  const item = rest.filter(l => l.startsWith('<SidebarItem')).join('\n');
  if (!header.includes('SidebarGroup') || !item) throw new Error('the Root.tsx block has no sidebar item');
  return insert(addImports(source, imports), 'to="create"', `${item}\n`);
});

edit('components/catalog/EntityPage.tsx', source => {
  const page = parts(block('packages/app/src/components/catalog/EntityPage.tsx'));
  source = addImports(source, page.imports);
  source = insert(source, 'const componentPage = (', page.declarations, { before: true });
  source = insert(source, 'const componentPage = (\n  <EntitySwitch>', page['in componentPage, as the first case']);
  const entityPageAt = source.indexOf('export const entityPage');
  const defaultCase = source.indexOf('<EntitySwitch.Case>{defaultEntityPage}</EntitySwitch.Case>', entityPageAt);
  source = source.slice(0, defaultCase) + page['in entityPage, before the default case'] + source.slice(defaultCase);
  const groupGrid = source.indexOf('\n', source.indexOf('<Grid container', source.indexOf('const groupPage'))) + 1;
  return source.slice(0, groupGrid) + page["in groupPage's grid"] + source.slice(groupGrid);
});
console.log('legacy wiring applied from', guidePath);
