#!/usr/bin/env node
// Long differential fuzz of uapi-ts against gcc on every ABI (issue 12; docs/fuzzing.md):
//   node scripts/fuzz-headers.mjs --minutes N [--seed S] [--generator DIR] [--out DIR] ...
// Compiles the fuzzer (test/gcc/fuzz, the same code the short CI run in test/gcc/fuzz.test.ts
// uses) and runs it for N minutes. Exit 0: nothing found; 1: findings (written to --out); 2: usage.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const fuzz = join(root, 'test', 'gcc', 'fuzz');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(fuzz, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('fuzz-headers: the fuzzer does not compile');
  process.exit(2);
}
const { main } = await import(pathToFileURL(join(fuzz, 'dist', 'cli.js')).href);
process.exitCode = await main(process.argv.slice(2), root);
