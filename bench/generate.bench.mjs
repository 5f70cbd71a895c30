#!/usr/bin/env node
// Whole-process time of `uapi-ts generate linux/vfio.h` (every ABI: generate always emits the
// eight) beside bindgen on the same header for one ABI, measured in the same run (issue 3). Each
// run writes into a fresh empty directory under the system temp dir (generate skips files whose
// content is unchanged, so reusing one would time a no-op write), never into generated/vfio.
// Also prints the floors generate cannot go under: node startup, and node + loading ts-morph.
// Reports medians and the ratio; asserts nothing.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchRuns, bindgenArgs, fmtMs as f, hasBindgen, hostAbi, medianProcess, nodeStartupMs } from './support.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'generator/bin/uapi-ts.js');
const include = join(repo, 'headers/latest/include');
if (!existsSync(join(include, 'linux/vfio.h'))) {
  console.log('generate bench: headers/latest missing (run `npx uapi-ts headers sync`)');
  process.exit(0);
}
const RUNS = benchRuns(9); // a generate run takes seconds: fewer runs than the layout bench

const root = mkdtempSync(join(tmpdir(), 'uapi-generate-bench-'));
try {
  const fresh = (name) => (i) => {
    const dir = join(root, `${name}-${i}`);
    mkdirSync(dir);
    return dir;
  };
  const genOut = fresh('gen');
  let lastGen;
  const generate = medianProcess(process.execPath, (i) => [bin, 'generate', 'linux/vfio.h', '-I', include, '--out', (lastGen = genOut(i))], { runs: RUNS });
  const nfiles = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  const generated = nfiles(lastGen);
  if (generated === 0) throw new Error(`uapi-ts generate wrote nothing into ${lastGen}`);

  const node = nodeStartupMs({ runs: RUNS });
  // ts-morph as the emitter resolves it (from the generator package), whatever the cwd.
  const tsMorphUrl = pathToFileURL(createRequire(join(repo, 'generator/package.json')).resolve('ts-morph')).href;
  const tsMorph = medianProcess(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(tsMorphUrl)})`], { runs: RUNS });

  // What generate shares with `layout`: preprocess, parse and lay out every ABI (no ts-morph).
  const layout = medianProcess(process.execPath, [bin, 'layout', 'linux/vfio.h', '-I', include, '--abi', 'all', '--format', 'json'], { runs: RUNS });

  let bindgen;
  if (hasBindgen()) {
    const bgOut = fresh('bindgen');
    bindgen = medianProcess('bindgen', (i) => bindgenArgs(include, 'linux/vfio.h', join(bgOut(i), 'vfio.rs')), { runs: RUNS });
  }

  console.log(`header: ${join(include, 'linux/vfio.h')}, median of ${RUNS} runs, each into a fresh temp dir`);
  const row = (label, ms) => console.log(`${label.padEnd(44)}${f(ms)}`);
  row('node -e 0 (startup floor)', node);
  row("node + import('ts-morph') (emit floor)", tsMorph);
  row('uapi-ts layout --abi all (no emit)', layout);
  row(`uapi-ts generate (8 ABIs, ${generated} files)`, generate);
  if (bindgen !== undefined) {
    row(`bindgen (${hostAbi} only, one .rs file)`, bindgen);
    console.log(`ratio generate (8 ABIs) / bindgen (1 ABI): ${(generate / bindgen).toFixed(2)}`);
  } else {
    console.log('bindgen: not installed (apt-get install bindgen) - no baseline in this run');
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
