#!/usr/bin/env node
// node scripts/prove-tree.mjs [--tree DIR] [--jobs N] [--sample N --seed S] [--abi NAME]... [--standalone FILE]
// Proves every header x ABI of a uapi tree against gcc (test/gcc/tree-proof.ts): prints a table and
// totals, exits 1 on any mismatch. The proof is the test suite's TypeScript, run through vite-node
// (vitest's runner), so the script and the CI sample test share one implementation.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(repo, 'package.json'));
// vite-node comes with vitest (pinned in package.json).
const vitest = dirname(require.resolve('vitest/package.json'));
const viteNode = [join(vitest, '..', 'vite-node', 'vite-node.mjs'), join(vitest, 'node_modules', 'vite-node', 'vite-node.mjs')].find((p) => existsSync(p));
if (!viteNode) {
  process.stderr.write('vite-node (installed with vitest) not found: run npm ci first\n');
  process.exit(2);
}
const r = spawnSync(process.execPath, [viteNode, '--root', repo, join(repo, 'test', 'gcc', 'prove-tree-cli.ts'), '--', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
