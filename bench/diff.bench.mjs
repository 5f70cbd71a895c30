#!/usr/bin/env node
// Whole-process time of `uapi-ts diff linux/vfio.h --from <6.1> --to <newest>` over all eight ABIs,
// beside abidiff on the same pair for x86_64 alone, counting what abidiff needs first: two gcc -g
// compiles (one object per kernel with a variable of every struct type) and the abidiff run.
// Reports both medians and the ratio; asserts nothing. Skips what is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRuns, fmtMs as f, medianMs, run } from './support.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'generator/bin/uapi-ts.js');
const from = join(repo, 'headers/6.1/include');
const to = join(repo, 'headers/latest/include');
if (!existsSync(join(from, 'linux/vfio.h')) || !existsSync(join(to, 'linux/vfio.h'))) {
  console.log('diff bench: headers/6.1 or headers/latest missing (run `npx uapi-ts headers sync`)');
  process.exit(0);
}
const RUNS = benchRuns(15);
const newest = basename(realpathSync(join(repo, 'headers/latest')));

const median = (fn) => medianMs(fn, { runs: RUNS });

// diff's exit status is a bitmask: bits 0-1 are errors, the rest say what changed.
const diffOk = (status) => (status & 3) === 0;
const ours = median(() => run(process.execPath, [bin, 'diff', 'linux/vfio.h', '--from', from, '--to', to, '--abi', 'all', '--format', 'json'], { ok: diffOk }));
const oursOne = median(() => run(process.execPath, [bin, 'diff', 'linux/vfio.h', '--from', from, '--to', to, '--abi', 'x86_64', '--format', 'json'], { ok: diffOk }));
// The diff stage alone, in process, on layouts loaded once: what classification itself costs.
const { loadLayouts, selectAbis } = await import(join(repo, 'generator/dist/cli/load.js'));
const { diffAll } = await import(join(repo, 'generator/dist/diff/index.js'));
const abis = selectAbis(['all']);
const olds = loadLayouts('linux/vfio.h', [from], abis).layouts;
const news = loadLayouts('linux/vfio.h', [to], abis).layouts;
const stage = median(() => diffAll(olds, news));

console.log(`linux/vfio.h 6.1 -> ${newest}, median of ${RUNS} runs`);
console.log(`uapi-ts diff --abi all (8 ABIs)              ${f(ours)}`);
console.log(`uapi-ts diff --abi x86_64                    ${f(oursOne)}`);
console.log(`  of which the diff stage (8 ABIs, in process) ${f(stage)}; the rest is node startup and laying out both trees`);

const gcc = 'x86_64-linux-gnu-gcc';
const haveAbidiff = spawnSync('abidiff', ['--version'], { stdio: 'ignore' }).status === 0;
const haveGcc = spawnSync(gcc, ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveAbidiff || !haveGcc) {
  console.log(`abidiff baseline skipped: ${!haveAbidiff ? 'abidiff not installed (apt-get install abigail-tools)' : `${gcc} not installed`}`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'uapi-diff-bench-'));
try {
  // One variable per struct the header declares (the struct list is taken once, outside the timing).
  const sources = [from, to].map((tree, i) => {
    const names = [...readFileSync(join(tree, 'linux/vfio.h'), 'utf8').matchAll(/^struct (\w+) \{/gm)].map((m) => m[1]);
    const src = join(dir, `v${i}.c`);
    writeFileSync(src, ['#include <linux/vfio.h>', ...names.map((n) => `struct ${n} dummy_${n};`), ''].join('\n'));
    return { tree, src, obj: join(dir, `v${i}.o`) };
  });
  const abidiff = median(() => {
    for (const s of sources) run(gcc, ['-g', '-c', '-o', s.obj, '-I', join(s.tree, 'x86_64-linux-gnu'), '-I', s.tree, s.src]);
    run('abidiff', [sources[0].obj, sources[1].obj], { ok: diffOk }); // same bitmask convention
  });
  console.log(`2x gcc -g + abidiff (x86_64 only)            ${f(abidiff)}`);
  console.log(`ratio uapi-ts (8 ABIs) / abidiff (1 ABI): ${(ours / abidiff).toFixed(2)}`);
  console.log(`ratio uapi-ts (x86_64) / abidiff (x86_64): ${(oursOne / abidiff).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
