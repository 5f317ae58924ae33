import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Renders a template skeleton the way fetch:template does for the subset of
 * nunjucks our skeletons use: `${{ path }}`, `{% if %}/{% else %}/{% endif %}`,
 * `{% for x in path %}/{% endfor %}`, and `{%-` trimming the whitespace before
 * a tag. Anything else is an error, so a skeleton cannot drift into syntax
 * this check does not understand. Test-only.
 */
type Scope = Record<string, unknown>;
type Node =
  | { type: 'text'; text: string }
  | { type: 'expr'; expr: string }
  | { type: 'if'; cond: string; then: Node[]; otherwise: Node[] }
  | { type: 'for'; item: string; list: string; body: Node[] };

function lookup(scope: Scope, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Scope | undefined)?.[key], scope);
}

function evaluate(scope: Scope, expr: string): unknown {
  const comparison = /^(\S+)\s*(==|!=)\s*(\S+)$/.exec(expr.trim());
  if (comparison) {
    const left = lookup(scope, comparison[1]);
    const right = JSON.parse(comparison[3].replace(/'/g, '"'));
    return comparison[2] === '==' ? left === right : left !== right;
  }
  if (!/^[A-Za-z_][\w.]*$/.test(expr.trim())) throw new Error(`unsupported expression "${expr}"`);
  return lookup(scope, expr.trim());
}

function parse(source: string): Node[] {
  const tokens = source.split(/(\$\{\{.*?\}\}|\{%-?.*?%\})/s);
  const root: Node[] = [];
  const stack: Array<{ nodes: Node[]; node?: Node; inElse?: boolean }> = [{ nodes: root }];
  for (const token of tokens) {
    const top = stack[stack.length - 1];
    const target = top.node?.type === 'if' && top.inElse ? top.node.otherwise : top.nodes;
    const tag = /^\{%(-?)\s*(.*?)\s*%\}$/s.exec(token);
    if (tag && tag[1] === '-') {
      const last = target[target.length - 1];
      if (last?.type === 'text') last.text = last.text.replace(/\s+$/, '');
    }
    if (token.startsWith('${{')) {
      target.push({ type: 'expr', expr: token.slice(3, -2) });
    } else if (tag) {
      const [keyword, ...rest] = tag[2].split(/\s+/);
      if (keyword === 'if') {
        const node: Node = { type: 'if', cond: rest.join(' '), then: [], otherwise: [] };
        target.push(node);
        stack.push({ nodes: node.then, node });
      } else if (keyword === 'else' && top.node?.type === 'if') {
        top.inElse = true;
      } else if (keyword === 'for' && rest[1] === 'in') {
        const node: Node = { type: 'for', item: rest[0], list: rest[2], body: [] };
        target.push(node);
        stack.push({ nodes: node.body, node });
      } else if (
        (keyword === 'endif' && top.node?.type === 'if') ||
        (keyword === 'endfor' && top.node?.type === 'for')
      ) {
        stack.pop();
      } else {
        throw new Error(`unsupported or unbalanced tag "${token}"`);
      }
    } else if (token) {
      target.push({ type: 'text', text: token });
    }
  }
  if (stack.length !== 1) throw new Error('unclosed {% if %} or {% for %}');
  return root;
}

function emit(nodes: Node[], scope: Scope): string {
  return nodes
    .map(node => {
      switch (node.type) {
        case 'text':
          return node.text;
        case 'expr': {
          const value = evaluate(scope, node.expr);
          if (value === undefined) throw new Error(`\${{${node.expr}}} has no value`);
          return String(value);
        }
        case 'if':
          return emit(evaluate(scope, node.cond) ? node.then : node.otherwise, scope);
        case 'for': {
          const list = evaluate(scope, node.list);
          if (!Array.isArray(list)) throw new Error(`${node.list} is not a list`);
          return list.map(item => emit(node.body, { ...scope, [node.item]: item })).join('');
        }
        default:
          return '';
      }
    })
    .join('');
}

/** Renders one template text with `values`. */
export function renderText(source: string, values: Record<string, unknown>): string {
  return emit(parse(source), { values });
}

/** Renders every file of a skeleton directory; keys are paths relative to it. */
export function renderSkeleton(dir: string, values: Record<string, unknown>): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), renderText(readFileSync(full, 'utf8'), values));
    }
  };
  walk(dir);
  return files;
}
