#!/usr/bin/env node
// Whole-process time of `uapi-ts layout linux/vfio.h` (one ABI and all eight) beside bindgen on
// the same header, measured in the same run. Goals (issue 2): one ABI at most half of bindgen's
// time; all eight ABIs in less than bindgen's one. Reports ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'generator/bin/uapi-ts.js');
const include = [join(repo, 'headers/latest/include'), '/usr/include'].find((d) => existsSync(join(d, 'linux/vfio.h')));
if (!include) {
  console.log('layout bench: no linux/vfio.h (run `npx uapi-ts headers sync`)');
  process.exit(0);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) times.push(ms); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const node = median(process.execPath, ['-e', '0']);
const one = median(process.execPath, [bin, 'layout', 'linux/vfio.h', '-I', include, '--abi', 'x86_64', '--format', 'json']);
const all = median(process.execPath, [bin, 'layout', 'linux/vfio.h', '-I', include, '--abi', 'all', '--format', 'json']);
const hasBindgen = spawnSync('bindgen', ['--version'], { stdio: 'ignore' }).status === 0;
const bindgen = hasBindgen ? median('bindgen', [join(include, 'linux/vfio.h'), '-o', '/dev/null', '--', `-I${include}`]) : undefined;

const f = (ms) => `${ms.toFixed(1).padStart(7)} ms`;
console.log(`header: ${join(include, 'linux/vfio.h')}, median of ${RUNS} runs`);
console.log(`node -e 0 (startup floor)          ${f(node)}`);
console.log(`uapi-ts layout --abi x86_64        ${f(one)}`);
console.log(`uapi-ts layout --abi all (8 ABIs)  ${f(all)}`);
if (bindgen !== undefined) {
  console.log(`bindgen (one ABI)                  ${f(bindgen)}`);
  console.log(`ratio one ABI / bindgen: ${(one / bindgen).toFixed(2)}  (goal <= 0.50)`);
  console.log(`ratio all ABIs / bindgen: ${(all / bindgen).toFixed(2)}  (goal < 1.00)`);
} else {
  console.log('bindgen: not installed (apt-get install bindgen) - no baseline in this run');
}
