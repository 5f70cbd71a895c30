#!/usr/bin/env node
// `uapi-ts diff --all` beside abidiff run as the kernel's scripts/check-uapi.sh runs it, for one ABI
// (default x86_64), on two synced trees (default headers/6.1 -> headers/6.12): every header both
// trees have is compiled per tree with
//   printf 'int main(void) { return 0; }' | gcc -c -x c -O0 -std=c90 -fno-eliminate-unused-debug-types -g -I<tree> -include <header> -
// and compared with `abidiff --non-reachable-types old.o new.o`; the per-header verdicts are put next
// to uapi-ts's for the same ABI and counted by category. Run once by hand (minutes); the result is
// in docs/diff.md. Usage: node scripts/abidiff-tree.mjs [--from DIR] [--to DIR] [--abi A] [--jobs N] [--json FILE]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const from = opt('from', join(repo, 'headers/6.1/include'));
const to = opt('to', join(repo, 'headers/6.12/include'));
const abiName = opt('abi', 'x86_64');
const jobs = Number(opt('jobs', String(availableParallelism())));
const jsonOut = opt('json');
const TRIPLETS = { x86_64: 'x86_64-linux-gnu', i386: 'i686-linux-gnu', aarch64: 'aarch64-linux-gnu', armhf: 'arm-linux-gnueabihf', s390x: 's390x-linux-gnu', ppc64: 'powerpc64-linux-gnu', ppc64le: 'powerpc64le-linux-gnu', riscv64: 'riscv64-linux-gnu' };
const MULTIARCH = { ...TRIPLETS, i386: 'i386-linux-gnu' };
const gcc = `${TRIPLETS[abiName]}-gcc`;
if (spawnSync('abidiff', ['--version']).status !== 0) {
  console.error('abidiff is not installed (apt-get install abigail-tools)');
  process.exit(1);
}

// Ours: one run of the whole tree on that ABI.
const t0 = performance.now();
const ours = spawnSync(process.execPath, [join(repo, 'generator/bin/uapi-ts.js'), 'diff', '--all', '--from', from, '--to', to, '--abi', abiName, '--format', 'json'], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const oursMs = performance.now() - t0;
const doc = JSON.parse(ours.stdout);
const byHeader = new Map(doc.headers.map((h) => [h.header, h]));

const dir = mkdtempSync(join(tmpdir(), 'abidiff-tree-'));
function runP(cmd, args, input) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (b) => (out += b));
    c.stderr.on('data', (b) => (err += b));
    c.on('close', (status) => resolve({ status, out, err }));
    c.stdin.on('error', () => {}); // abidiff does not read its stdin
    c.stdin.end(input ?? '');
  });
}
const compile = (tree, header, obj) =>
  runP(gcc, ['-c', '-o', obj, '-x', 'c', '-O0', '-std=c90', '-fno-eliminate-unused-debug-types', '-g', `-I${join(tree, MULTIARCH[abiName])}`, `-I${tree}`, '-include', header, '-'], 'int main(void) { return 0; }\n');

const both = doc.headers.filter((h) => !h.notes.some((n) => / is not in /.test(n))).map((h) => h.header);
const rows = [];
let next = 0;
const t1 = performance.now();
async function worker() {
  while (next < both.length) {
    const i = next++;
    const header = both[i];
    const a = join(dir, `${i}-old.o`);
    const b = join(dir, `${i}-new.o`);
    const [ca, cb] = await Promise.all([compile(from, header, a), compile(to, header, b)]);
    let abidiff;
    if (ca.status === 0 && cb.status === 0) {
      const r = await runP('abidiff', ['--non-reachable-types', a, b]);
      abidiff = { status: r.status, out: r.out };
    }
    rows.push({ header, compiled: [ca.status === 0, cb.status === 0], gccError: (ca.status !== 0 ? ca.err : cb.err).split('\n').find((l) => /error/.test(l)), abidiff });
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
const abidiffMs = performance.now() - t1;
rmSync(dir, { recursive: true, force: true });

/** abidiff's `[A]`/`[C]`/`[D]` entries: mark, type, and the file it is declared in. */
function reported(text) {
  return [...text.matchAll(/^\s*\[([ACD])\] '([^']*)'(?: at ([^:\s]+):\d+)?/gm)].map((m) => ({ mark: m[1], type: m[2], file: m[3] ?? '?' }));
}

// Categories.
const cats = new Map();
const put = (cat, header, detail = '') => cats.set(cat, [...(cats.get(cat) ?? []), detail ? `${header} (${detail})` : header]);
for (const r of rows.sort((x, y) => (x.header < y.header ? -1 : 1))) {
  const h = byHeader.get(r.header);
  const ourBits = h.exit;
  const ourErr = h.errors.length > 0;
  if (!r.abidiff) {
    put(ourErr ? 'gcc -std=c90 fails; uapi-ts has errors too' : 'gcc -std=c90 fails; uapi-ts compares it', r.header, (r.gccError ?? '').replace(/^.*?error: /, '').slice(0, 80));
    continue;
  }
  const ab = r.abidiff.status;
  if (ab & 1 || ab & 2) {
    put('abidiff error', r.header);
    continue;
  }
  const abChanged = (ab & 4) !== 0;
  const abIncompatible = (ab & 8) !== 0;
  const changes = h.changes;
  const recordChanges = changes.filter((c) => c.record);
  const constChanges = changes.filter((c) => !c.record);
  if (ourErr) put('uapi-ts has errors on a side (gcc compiles)', r.header, h.errors[0].replace(/^.*?error: /, '').slice(0, 80));
  else if (!abChanged && ourBits === 0) put('agree: no change', r.header);
  else if (abChanged && ourBits !== 0) {
    const ourBreaking = (ourBits & 8) !== 0;
    if (abIncompatible && ourBreaking) put('agree: changed, both breaking (abidiff incompatible)', r.header);
    else if (!abIncompatible && !ourBreaking) put('agree: changed, neither breaking', r.header);
    else if (abIncompatible) put('both changed; abidiff incompatible, uapi-ts not breaking', r.header, `${[...new Set(changes.map((c) => `${c.kind} ${c.subject} ${c.action}`))].join(', ')}; abidiff: ${reported(r.abidiff.out).slice(0, 2).map((x) => `[${x.mark}] ${x.type}`).join(', ')}`);
    else put('both changed; uapi-ts breaking, abidiff not incompatible', r.header, [...new Set(changes.filter((c) => c.kind === 'breaking').map((c) => `${c.subject} ${c.action}`))].join(', '));
  } else if (abChanged) {
    // abidiff sees the whole translation unit; uapi-ts reports a header's own declarations (those of
    // the headers it includes are reported under those headers).
    const items = reported(r.abidiff.out);
    const base = r.header.split('/').pop();
    // A changed type has no location in abidiff's report: it is the header's own when the header
    // (in either tree) defines it.
    const text = [from, to].map((t) => { try { return readFileSync(join(t, r.header), 'utf8'); } catch { return ''; } }).join('\n');
    const defines = (type) => new RegExp(`${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')}\\s*\\{`).test(text);
    for (const x of items) if (x.file === '?') x.file = defines(x.type) ? base : 'an included header';
    const own = items.filter((x) => x.file === base);
    const detail = items.slice(0, 2).map((x) => `[${x.mark}] ${x.type} in ${x.file}`).join(', ');
    if (items.length > 0 && own.length === 0) put('abidiff only: types of an included header (uapi-ts reports them under that header)', r.header, detail);
    else put("abidiff only: the header's own types", r.header, detail || r.abidiff.out.split('\n')[0]);
  }
  else if (recordChanges.length === 0) put('uapi-ts only: constants/macros/ioctls (abidiff sees no macros)', r.header, `${constChanges.length} changes`);
  else if (recordChanges.every((c) => c.action === 'added')) put('uapi-ts only: new structs or unions (and constants)', r.header);
  else put('uapi-ts only: struct changes abidiff does not report', r.header, [...new Set(recordChanges.map((c) => `${c.kind} ${c.action}`))].join(', '));
}
const oneSided = doc.headers.length - both.length;
console.log(`${from} -> ${to}, ${abiName}: ${doc.headers.length} headers, ${both.length} in both trees (${oneSided} in one only: not compared by check-uapi)`);
console.log(`uapi-ts diff --all --abi ${abiName}: ${(oursMs / 1000).toFixed(1)} s; gcc x2 + abidiff per header, ${jobs} at a time: ${(abidiffMs / 1000).toFixed(1)} s`);
console.log('\n| category | headers | examples |\n| --- | ---: | --- |');
for (const [cat, hs] of [...cats].sort((a, b) => b[1].length - a[1].length)) console.log(`| ${cat} | ${hs.length} | ${hs.slice(0, 4).join('; ').replace(/\|/g, '\\|')} |`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ from, to, abi: abiName, oursMs, abidiffMs, categories: Object.fromEntries(cats) }, null, 2));
