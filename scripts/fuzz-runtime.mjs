#!/usr/bin/env node
// Long fuzz of the runtime's capability-chain properties: the same properties as
// runtime/test/property.test.ts with 1,000,000 cases in total, and the cursor-vs-reference ones of
// runtime/test/chain-reference.test.ts with 150,000 (each file spreads UAPI_FC_RUNS over its
// properties; override: UAPI_FC_RUNS=N, seed: UAPI_FC_SEED=N). Run: node scripts/fuzz-runtime.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, UAPI_FC_RUNS: process.env.UAPI_FC_RUNS ?? '1000000' };
console.log(`fuzz-runtime: ${env.UAPI_FC_RUNS} cases${env.UAPI_FC_SEED ? `, seed ${env.UAPI_FC_SEED}` : ''}`);
const r = spawnSync('npx', ['vitest', 'run', 'runtime/test/property.test.ts', 'runtime/test/chain-reference.test.ts', '--testTimeout=3600000'], { cwd: root, env, stdio: 'inherit' });
process.exitCode = r.status ?? 1;
