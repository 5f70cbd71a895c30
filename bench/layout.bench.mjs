#!/usr/bin/env node
// Whole-process time of `uapi-ts layout linux/vfio.h` (one ABI and all eight) beside bindgen on
// the same header, measured in the same run. Goals (issue 2): one ABI at most half of bindgen's
// time; all eight ABIs in less than bindgen's one. Reports ratios; asserts nothing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { benchRuns, bindgenArgs, fmtMs as f, hasBindgen, hostAbi, medianProcess, nodeStartupMs } from './support.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'generator/bin/uapi-ts.js');
const include = [join(repo, 'headers/latest/include'), '/usr/include'].find((d) => existsSync(join(d, 'linux/vfio.h')));
if (!include) {
  console.log('layout bench: no linux/vfio.h (run `npx uapi-ts headers sync`)');
  process.exit(0);
}
const RUNS = benchRuns(15);
const ok = (status) => status === 0 || status === 1; // 1: the header has input errors, still laid out

const node = nodeStartupMs({ runs: RUNS });
// Node plus loading the layout command's modules and tree-sitter (one trivial parse): the fixed
// cost of any layout run before it reads a header.
const loadScript = `await import(${JSON.stringify(join(repo, 'generator/dist/cli/layout.js'))}); (await import(${JSON.stringify(join(repo, 'generator/dist/parse/index.js'))})).parseC('int x;');`;
const loaded = medianProcess(process.execPath, ['--input-type=module', '-e', loadScript], { runs: RUNS });
const one = medianProcess(process.execPath, [bin, 'layout', 'linux/vfio.h', '-I', include, '--abi', hostAbi, '--format', 'json'], { runs: RUNS, ok });
const all = medianProcess(process.execPath, [bin, 'layout', 'linux/vfio.h', '-I', include, '--abi', 'all', '--format', 'json'], { runs: RUNS, ok });
const bindgen = hasBindgen() ? medianProcess('bindgen', bindgenArgs(include, 'linux/vfio.h', '/dev/null'), { runs: RUNS }) : undefined;

console.log(`header: ${join(include, 'linux/vfio.h')}, median of ${RUNS} runs`);
console.log(`node -e 0 (startup floor)          ${f(node)}`);
console.log(`${'node + our modules + tree-sitter'.padEnd(35)}${f(loaded)}`);
console.log(`uapi-ts layout --abi ${hostAbi.padEnd(8)}      ${f(one)}`);
console.log(`uapi-ts layout --abi all (8 ABIs)  ${f(all)}`);
if (bindgen !== undefined) {
  console.log(`bindgen (one ABI)                  ${f(bindgen)}`);
  console.log(`ratio one ABI / bindgen: ${(one / bindgen).toFixed(2)}  (goal <= 0.50)`);
  console.log(`ratio all ABIs / bindgen: ${(all / bindgen).toFixed(2)}  (goal < 1.00)`);
  // What Node, and Node with our modules and tree-sitter loaded, cost before any header is read:
  // the one-ABI goal leaves bindgen x 0.5 minus the second for all of the work.
  console.log(`ratio node -e 0 / bindgen: ${(node / bindgen).toFixed(2)}, loaded / bindgen: ${(loaded / bindgen).toFixed(2)}  (the one-ABI goal leaves ${f(Math.max(0, bindgen * 0.5 - loaded)).trim()} for reading, parsing and laying out the header)`);
} else {
  console.log('bindgen: not installed (apt-get install bindgen) - no baseline in this run');
}
