#!/usr/bin/env node
// node scripts/tree-packages.mjs [--tree DIR] [--sample N --seed S] [--header H]... [--batch N] [--keep DIR]
// Generates a package for every header of a uapi tree (in a temporary dir) and type-checks each under
// tsc --strict (test/emit/tree-packages.ts, run through vite-node like scripts/prove-tree.mjs); exits 1
// when any package fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(repo, 'package.json'));
const vitest = dirname(require.resolve('vitest/package.json'));
const viteNode = [join(vitest, '..', 'vite-node', 'vite-node.mjs'), join(vitest, 'node_modules', 'vite-node', 'vite-node.mjs')].find((p) => existsSync(p));
if (!viteNode) {
  process.stderr.write('vite-node (installed with vitest) not found: run npm ci first\n');
  process.exit(2);
}
const r = spawnSync(process.execPath, [viteNode, '--root', repo, join(repo, 'test', 'emit', 'tree-packages-cli.ts'), '--', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
