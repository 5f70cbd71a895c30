/**
 * The house in order (issue 11): the import graph of generator/src has no cycle (type-only imports
 * count) and every import points down the pipeline:
 *
 *   cli, index.ts  >  report  >  emit, diff, headers  >  pipeline.ts  >  layout  >  parse  >  preprocess  >  ir, contract, diagnostics.ts
 *
 * A file may import its own stage (same top-level folder) and anything in a lower layer; never a
 * higher layer or a sibling stage of the same layer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/trees.js';

const SRC = join(REPO, 'generator', 'src');

/** Layer of each top-level entry of generator/src (a folder, or a file at the top). */
export const LAYERS: Record<string, number> = {
  ir: 0, contract: 0, 'diagnostics.ts': 0, 'limits.ts': 0,
  preprocess: 1,
  parse: 2,
  layout: 3,
  'pipeline.ts': 4,
  emit: 5, diff: 5, headers: 5,
  report: 6,
  cli: 7, 'index.ts': 7,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file: `import`, `import type`, `export ... from`, dynamic `import('...')`. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out.filter((s) => s.startsWith('.'));
}

function resolveImport(from: string, spec: string): string {
  const p = resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
  return p;
}

function top(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

const graph = new Map<string, string[]>();
for (const f of files(SRC)) graph.set(f, importsOf(readFileSync(f, 'utf8')).map((s) => resolveImport(f, s)));

describe('generator/src import graph', () => {
  it('finds the files and their imports (the test reads what it checks)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(join(SRC, 'pipeline.ts'))).toContain(join(SRC, 'layout', 'index.ts'));
  });

  it('every import resolves to a file of generator/src', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${relative(SRC, f)} -> ${relative(SRC, d)}`));
    expect(missing).toEqual([]);
  });

  it('every top-level entry has a layer', () => {
    expect(readdirSync(SRC).filter((n) => LAYERS[n] === undefined)).toEqual([]);
  });

  it('imports point down the pipeline: never up, never into a sibling stage', () => {
    const wrong: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) {
        const [a, b] = [top(f), top(d)];
        if (a === b) continue;
        if (!(LAYERS[b]! < LAYERS[a]!)) wrong.push(`${relative(SRC, f)} (${a}, layer ${LAYERS[a]}) imports ${relative(SRC, d)} (${b}, layer ${LAYERS[b]})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    // Tarjan's strongly connected components: any component of more than one file is a cycle.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string): void => {
      idx.set(v, index);
      low.set(v, index);
      index++;
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(relative(SRC, w));
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it('the checker sees type-only imports, re-exports and dynamic imports', () => {
    expect(importsOf("import type { A } from './a.js';\nexport * from './b.js';\nexport type { C } from './c.js';\nconst x = await import('./d.js');\nimport './e.js';")).toEqual(['./a.js', './b.js', './c.js', './e.js', './d.js']);
  });
});
