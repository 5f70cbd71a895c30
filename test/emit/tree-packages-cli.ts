/**
 * `node scripts/tree-packages.mjs [--tree DIR] [--sample N --seed S] [--header H]... [--batch N]
 * [--keep DIR]`: generates a package for every header of a tree (in a temporary dir, or DIR with
 * --keep) and type-checks each under tsc --strict (tree-packages.ts). Prints one line per header
 * that has no package or does not type-check, and totals; exits 1 when any package fails.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADERS } from '../support/trees.js';
import { sampleHeaders, treeHeaders } from '../gcc/tree-proof.js';
import { generatePackages, typecheckPackages } from './tree-packages.js';

const USAGE = 'usage: node scripts/tree-packages.mjs [--tree DIR] [--sample N --seed S] [--header H]... [--batch N] [--keep DIR]';

function usage(message: string): never {
  process.stderr.write(`tree-packages: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const o = { tree: join(HEADERS, 'latest', 'include'), seed: 16, sample: undefined as number | undefined, headers: [] as string[], batch: 60, keep: undefined as string | undefined };
const argv = process.argv.slice(2);
const num = (flag: string, v: string | undefined): number => {
  if (v === undefined || !/^\d+$/.test(v)) usage(`${flag} takes a number`);
  return Number(v);
};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  const v = argv[i + 1];
  if (a === '--tree' && v) o.tree = v;
  else if (a === '--sample') o.sample = num(a, v);
  else if (a === '--seed') o.seed = num(a, v);
  else if (a === '--batch') o.batch = Math.max(1, num(a, v));
  else if (a === '--header' && v) o.headers.push(v);
  else if (a === '--keep' && v) o.keep = v;
  else if (a === '-h' || a === '--help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else usage(`unknown or incomplete argument '${a}'`);
  i++;
}
if (!existsSync(join(o.tree, 'linux')) && existsSync(join(o.tree, 'include', 'linux'))) o.tree = join(o.tree, 'include');
if (!existsSync(join(o.tree, 'linux'))) usage(`${o.tree} is not a uapi include tree (no linux/ in it)`);

const all = treeHeaders(o.tree);
for (const h of o.headers) if (!all.includes(h)) usage(`${h} is not a header of ${o.tree}`);
const headers = o.headers.length > 0 ? o.headers : o.sample !== undefined ? sampleHeaders(all, o.sample, o.seed) : all;
const out = o.keep ?? mkdtempSync(join(tmpdir(), 'uapi-tree-packages-'));
const started = Date.now();
try {
  process.stderr.write(`tree-packages: ${headers.length} of ${all.length} headers from ${o.tree} into ${out}\n`);
  const rs = await generatePackages(o.tree, headers, out);
  const generated = Date.now();
  process.stderr.write(`tree-packages: ${rs.filter((r) => r.dir).length} packages generated in ${((generated - started) / 1000).toFixed(0)}s; type-checking\n`);
  await typecheckPackages(out, rs, o.batch);
  const lines: string[] = [];
  for (const r of rs) {
    if (r.skipped) lines.push(`no package  ${r.header}: ${r.skipped}`);
    else if (r.errors.length > 0) lines.push(`FAILS       ${r.header}: ${r.errors.slice(0, 3).join(' | ')}${r.errors.length > 3 ? ` (+${r.errors.length - 3} more)` : ''}`);
  }
  const failed = rs.filter((r) => r.errors.length > 0).length;
  const made = rs.filter((r) => r.dir).length;
  lines.push('', 'totals:');
  lines.push(`  headers        ${headers.length} of ${all.length}`);
  lines.push(`  packages       ${made} generated, ${made - failed} type-check under tsc --strict, ${failed} fail`);
  lines.push(`  no package     ${rs.filter((r) => r.skipped).length} (do not lay out on every ABI: prove-tree judges them against gcc)`);
  lines.push(`  time           generate ${((generated - started) / 1000).toFixed(0)}s, tsc ${((Date.now() - generated) / 1000).toFixed(0)}s`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  if (!o.keep) rmSync(out, { recursive: true, force: true });
}
