// An import cycle rule that counts type-only imports: eslint-plugin-import-x's no-cycle skips `import type` (its
// source returns early on importKind 'type'), and a circle of types still ties two files' meanings together, so that
// neither can be read, moved or tested alone. Edges are the relative imports of the linted tree: static imports and
// re-exports (type-only included) and dynamic import(); a module is read from disk once per lint run.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File → the files it imports, for the files read from disk in this process. */
const graph = new Map();

function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, resolve(base, 'index.ts')];
  return candidates.find((path) => /\.(ts|js|mjs)$/.test(path) && existsSync(path));
}

function importsOf(file) {
  let edges = graph.get(file);
  if (edges === undefined) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const { importedFiles } = ts.preProcessFile(text, true, true);
    edges = importedFiles.map(({ fileName }) => resolveSpecifier(file, fileName)).filter((path) => path !== undefined);
    graph.set(file, edges);
  }
  return edges;
}

/** The shortest import path from `start` back to `target`, or undefined. */
function pathBack(start, target) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of importsOf(file)) {
      if (next === target) {
        const route = [file];
        for (let at = previous.get(file); at !== undefined; at = previous.get(at)) route.unshift(at);
        return route;
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between files, type-only imports included.' },
    schema: [],
    messages: { cycle: 'Import cycle (type-only imports count): {{route}}' },
  },
  create(context) {
    const file = context.filename;
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string') return;
      const target = resolveSpecifier(file, specifier);
      if (target === undefined || target === file) return;
      const route = pathBack(target, file);
      if (route)
        context.report({
          node,
          messageId: 'cycle',
          data: { route: [file, ...route, file].map((path) => relative(context.cwd, path)).join(' → ') },
        });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
