#!/usr/bin/env node
// The whole tree in one run (issue 17), as ratios against baselines measured in the same run:
//   1. `uapi-ts layout --all` on the newest tree, 8 ABIs, one process: time per header x ABI against
//      bindgen's per header for one ABI, x86_64 (timed on a fixed sample of 20 headers), and against
//      check-uapi's per-header work for one ABI (gcc -g compile + abidiff of the object, on the same
//      sample); each baseline that is installed is printed. Goal: >= 100x bindgen per header x ABI.
//   2. `uapi-ts diff --all` 6.1 -> newest, 8 ABIs, one process, against check-uapi-style gcc x2 +
//      abidiff per header for x86_64 only, timed on the sample and extrapolated to the tree's header
//      count (said). Goal: faster for 8 ABIs than the baseline for one.
//   3. one header, one ABI, one process: `uapi-ts layout linux/vfio.h --abi x86_64` against
//      `node -e 0` and bindgen on vfio.h for x86_64 (when installed; goal <= 0.5x bindgen).
//   4. `generate --check` on generated/vfio: full check against the stamp (no parse, no ts-morph).
// BENCH_TREE_GLOB=<glob> restricts 1 and 2 to matching headers (quick runs; the ratios stay per header);
// BENCH_RUNS=N sets the runs of 3 and 4. Asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRuns, bindgenArgs, fmtMs as f, hasBindgen, medianMs, medianProcess, nodeStartupMs, run } from './support.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'generator/bin/uapi-ts.js');
const newestInc = join(repo, 'headers/latest/include');
const oldInc = join(repo, 'headers/6.1/include');
if (!existsSync(join(newestInc, 'linux/vfio.h')) || !existsSync(join(oldInc, 'linux/vfio.h'))) {
  console.log('tree bench: headers/6.1 or headers/latest missing (run `npx uapi-ts headers sync`)');
  process.exit(0);
}
const newest = basename(realpathSync(join(repo, 'headers/latest')));
const glob = process.env.BENCH_TREE_GLOB ? ['--include', process.env.BENCH_TREE_GLOB] : [];
const RUNS = benchRuns(5);

/** A fixed sample of 20 headers present in 6.1 and newer, compiling with gcc -std=c90 on x86_64. */
const SAMPLE = [
  'linux/vfio.h', 'linux/bpf.h', 'linux/perf_event.h', 'linux/kvm.h', 'linux/ethtool.h', 'linux/ip.h', 'linux/tcp.h',
  'linux/usb/ch9.h', 'linux/if_link.h', 'linux/netlink.h', 'linux/io_uring.h', 'linux/fs.h', 'linux/btrfs.h', 'linux/virtio_net.h',
  'linux/userfaultfd.h', 'linux/fuse.h', 'linux/seccomp.h', 'linux/rtnetlink.h', 'drm/drm.h', 'linux/input.h',
];

const gcc = 'x86_64-linux-gnu-gcc';
const have = (cmd, arg = '--version') => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-tree-bench-'));
const compileArgs = (tree, header, obj) => ['-c', '-o', obj, '-x', 'c', '-O0', '-std=c90', '-fno-eliminate-unused-debug-types', '-g', `-I${join(tree, 'x86_64-linux-gnu')}`, `-I${tree}`, '-include', header, '-'];
const compile = (tree, header, obj) => spawnSync(gcc, compileArgs(tree, header, obj), { input: 'int main(void) { return 0; }\n', stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;

/** Whole-process time (ms) of one run, and the summary it printed. */
function once(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out: r.stdout, status: r.status };
}

console.log(`tree bench on ${availableParallelism()} cores; headers/latest = ${newest}${glob.length ? `; only ${glob[1]}` : ''}`);

// --- 1. tree layout, 8 ABIs
const layout = once(['layout', '--all', '-I', newestInc, ...glob]);
const pairs = [...layout.out.matchAll(/^\S+\s+(\d+)\s+\d+\s+\d+\s+\d+$/gm)].reduce((n, m) => n + Number(m[1]), 0);
const perPair = layout.ms / pairs;
console.log(`\n1. uapi-ts layout --all, 8 ABIs: ${f(layout.ms)} for ${pairs} header x ABI pairs = ${perPair.toFixed(2)} ms each (one process, ${availableParallelism()} workers)`);
const sample = SAMPLE.filter((h) => existsSync(join(newestInc, h)) && existsSync(join(oldInc, h)) && compile(newestInc, h, join(tmp, 'probe.o')) && compile(oldInc, h, join(tmp, 'probe.o')));
if (sample.length < SAMPLE.length) console.log(`   sample: ${sample.length} of ${SAMPLE.length} headers compile with gcc -std=c90 on both trees (${SAMPLE.filter((h) => !sample.includes(h)).join(', ')} left out)`);
// Baselines, each on the sample, for one ABI (x86_64, the host: bindgen's default --target; gcc's x86_64
// cross compiler), every one printed with its ratio. bindgen runs as `bindgen H -o out.rs -- -I<tree>/x86_64-linux-gnu -I<tree>`.
const baselines = [];
if (hasBindgen()) {
  const failed = new Set();
  const bindgenAll = medianMs(() => { for (const h of sample) if (run('bindgen', bindgenArgs(newestInc, h, join(tmp, 'out.rs')), { ok: () => true }).status !== 0) failed.add(h); }, { runs: 1, warmup: 1 });
  if (failed.size > 0) console.log(`   bindgen failed on ${[...failed].join(', ')} (timed all the same; \`bash scripts/setup.sh --bench\` installs clang's headers it needs)`);
  baselines.push({ ms: bindgenAll / sample.length, name: 'bindgen, x86_64 only', goal: '  (goal >= 100x bindgen)' });
} else console.log('   bindgen is not installed (`bash scripts/setup.sh --bench` installs it): no bindgen ratio');
if (have(gcc) && have('abidiff')) {
  const obj = join(tmp, 'one.o');
  const t = medianMs(() => { for (const h of sample) { compile(newestInc, h, obj); run('abidiff', ['--non-reachable-types', obj, obj], { ok: () => true }); } }, { runs: 1, warmup: 1 });
  baselines.push({ ms: t / sample.length, name: 'check-uapi-style gcc -g + abidiff, x86_64 only', goal: '' });
}
for (const b of baselines) {
  console.log(`   baseline per header: ${b.ms.toFixed(1)} ms (${b.name}; ${sample.length}-header sample)`);
  console.log(`   ratio: uapi-ts is ${(b.ms / perPair).toFixed(0)}x faster per header x ABI than ${b.name.split(',')[0]}${b.goal}`);
}
if (baselines.length === 0) console.log('   no baseline: neither bindgen nor gcc + abidiff installed');

// --- 2. tree diff, 8 ABIs, against gcc + abidiff on one ABI
const diff = once(['diff', '--all', '--from', oldInc, '--to', newestInc, '--format', 'json', ...glob]);
const doc = JSON.parse(diff.out);
const both = doc.headers.filter((h) => !h.notes.some((n) => / is not in /.test(n))).length;
console.log(`\n2. uapi-ts diff --all 6.1 -> ${newest}, 8 ABIs: ${f(diff.ms)} for ${doc.totals.headers} headers (${both} in both trees), exit ${doc.exit}`);
if (have(gcc) && have('abidiff')) {
  const a = join(tmp, 'a.o');
  const b = join(tmp, 'b.o');
  const t = medianMs(() => { for (const h of sample) { compile(oldInc, h, a); compile(newestInc, h, b); run('abidiff', ['--non-reachable-types', a, b], { ok: () => true }); } }, { runs: 1, warmup: 1 });
  const perHeader = t / sample.length;
  const extrapolated = perHeader * both;
  console.log(`   baseline: gcc x2 + abidiff per header, x86_64 only: ${perHeader.toFixed(1)} ms (${sample.length}-header sample), extrapolated to the ${both} headers both trees have: ${f(extrapolated)}`);
  console.log(`   ratio: uapi-ts for 8 ABIs takes ${(diff.ms / extrapolated).toFixed(2)}x the baseline's time for one  (goal < 1.00)`);
}

// --- 3. one header, one ABI, one process
const node = nodeStartupMs({ runs: benchRuns(15) });
const one = medianProcess(process.execPath, [bin, 'layout', 'linux/vfio.h', '-I', newestInc, '--abi', 'x86_64', '--format', 'json'], { runs: benchRuns(15) });
console.log(`\n3. uapi-ts layout linux/vfio.h --abi x86_64: ${f(one)}; node -e 0: ${f(node)}; ratio ${(one / node).toFixed(2)}x node's start-up`);
if (hasBindgen()) {
  const bg = medianProcess('bindgen', bindgenArgs(newestInc, 'linux/vfio.h', '/dev/null'), { runs: benchRuns(15) });
  console.log(`   bindgen linux/vfio.h (x86_64): ${f(bg)}; ratio ${(one / bg).toFixed(2)}  (goal <= 0.50); node -e 0 alone is ${(node / bg).toFixed(2)}x bindgen`);
}

// --- 4. generate --check: full vs stamp
const gen = join(repo, 'generated/vfio');
const cache = join(tmp, 'cache');
// As `npm run generate` writes it (package.json): vfio.h with vfio_zdev.h and vfio_ccw.h.
const checkArgs = ['generate', 'linux/vfio.h', 'linux/vfio_zdev.h', 'linux/vfio_ccw.h', '-I', newestInc, '--out', gen, '--check', '--quiet'];
const env = { ...process.env, UAPI_TS_CACHE: cache };
const timed = () => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...checkArgs], { env, stdio: 'ignore' });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status };
};
rmSync(cache, { recursive: true, force: true });
const full = timed();
if (full.status === 0) {
  const stamped = medianMs(() => timed(), { runs: RUNS });
  console.log(`\n4. generate --check generated/vfio: full ${f(full.ms)}; from the stamp ${f(stamped)} (ratio ${(stamped / full.ms).toFixed(2)}); node -e 0 ${f(node)}`);
} else console.log('\n4. generate --check: generated/vfio is not up to date with headers/latest; no stamp to time');
rmSync(tmp, { recursive: true, force: true });
