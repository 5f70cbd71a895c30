/**
 * `node scripts/prove-tree.mjs [--tree DIR] [--jobs N] [--sample N --seed S] [--abi NAME]...
 * [--header H]... [--time64] [--standalone FILE] [--batch N]`: proves every header x ABI of a tree against gcc (tree-proof.ts),
 * prints a table and totals, exits 1 on any mismatch (2 on a usage error).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ABIS, withTime64 } from '../../generator/src/layout/abi/index.js';
import { HEADERS } from '../support/trees.js';
import { judge, preludes, standaloneFor } from './standalone.js';
import { proveTreeAbi, sampleHeaders, treeHeaders, type PairResult } from './tree-proof.js';

const USAGE = 'usage: node scripts/prove-tree.mjs [--tree DIR] [--jobs N] [--sample N --seed S] [--abi NAME]... [--header H]... [--time64] [--standalone FILE] [--batch N]';

function usage(message: string): never {
  process.stderr.write(`prove-tree: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: readonly string[]): { tree: string; jobs: number; sample?: number; seed: number; abis: string[]; headers: string[]; standalone?: string; batch: number; time64: boolean } {
  const o: ReturnType<typeof parse> = { tree: join(HEADERS, 'latest', 'include'), jobs: 2, seed: 16, abis: [], headers: [], batch: 40, time64: false };
  const num = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v)) usage(`${flag} takes a number`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    switch (a) {
      // Absolute: gcc runs in a directory of its own (a relative -I found nothing: every pair a "mismatch").
      case '--tree': if (!v) usage('--tree takes a directory'); o.tree = resolve(v); i++; break;
      case '--jobs': o.jobs = Math.max(1, num(a, v)); i++; break;
      case '--sample': o.sample = num(a, v); i++; break;
      case '--seed': o.seed = num(a, v); i++; break;
      case '--batch': o.batch = Math.max(1, num(a, v)); i++; break;
      case '--abi': if (!v || !ABIS.some((x) => x.name === v)) usage(`--abi takes one of ${ABIS.map((x) => x.name).join(', ')}`); o.abis.push(v); i++; break;
      case '--time64': o.time64 = true; break;
      case '--header': if (!v) usage('--header takes a header name (linux/input.h)'); o.headers.push(v); i++; break;
      case '--standalone': if (!v) usage('--standalone takes a file'); o.standalone = v; i++; break;
      case '-h': case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0);
      // falls through (exit)
      default: usage(`unknown argument '${a}'`);
    }
  }
  // A kernel tree's include dir, or a dir that holds one (headers/7.2).
  if (!existsSync(join(o.tree, 'linux')) && existsSync(join(o.tree, 'include', 'linux'))) o.tree = join(o.tree, 'include');
  if (!existsSync(join(o.tree, 'linux'))) usage(`${o.tree} is not a uapi include tree (no linux/ in it)`);
  return o;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const started = Date.now();
  const all = treeHeaders(o.tree);
  for (const h of o.headers) if (!all.includes(h)) usage(`${h} is not a header of ${o.tree}`);
  const headers = o.headers.length > 0 ? o.headers : o.sample !== undefined ? sampleHeaders(all, o.sample, o.seed) : all;
  const abis = (o.abis.length > 0 ? ABIS.filter((a) => o.abis.includes(a.name)) : ABIS).map((a) => (o.time64 ? withTime64(a) : a));
  const list = standaloneFor(o.tree, o.standalone);
  process.stderr.write(`prove-tree: ${headers.length} of ${all.length} headers x ${abis.length} ABIs ${o.time64 ? ' with 64-bit time_t' : ''} from ${o.tree}${list ? ` (stand-alone list for ${list.tree})` : ' (no stand-alone list)'}\n`);
  const byHeader = new Map<string, Map<string, PairResult>>(headers.map((h) => [h, new Map()]));
  for (const abi of abis) {
    const t = Date.now();
    const rs = await proveTreeAbi(abi, headers, { include: o.tree, jobs: o.jobs, batch: o.batch, preludes: preludes(list) });
    for (const r of rs) byHeader.get(r.header)!.set(r.abi, judge(r, list));
    process.stderr.write(`prove-tree: ${abi.name} done in ${((Date.now() - t) / 1000).toFixed(1)}s\n`);
  }
  report(byHeader, abis.map((a) => a.name), all.length, (Date.now() - started) / 1000);
}

function report(byHeader: Map<string, Map<string, PairResult>>, abis: readonly string[], treeSize: number, seconds: number): void {
  const cell: Record<PairResult['status'], string> = { proven: 'ok', standalone: 'S', libc: 'L', mismatch: 'X' };
  const w = Math.max(30, ...[...byHeader.keys()].map((h) => h.length));
  const out: string[] = [];
  out.push(`${'header'.padEnd(w)} ${'records'.padStart(7)} ${'consts'.padStart(6)} ${'checks'.padStart(7)}  ${abis.map((a) => a.padEnd(7)).join(' ')}`);
  const totals = { pairs: 0, proven: 0, standalone: 0, libc: 0, mismatch: 0, checks: 0, records: 0, constants: 0 };
  const problems: PairResult[] = [];
  const libcHeaders = new Set<string>();
  const standaloneHeaders = new Set<string>();
  for (const [h, m] of byHeader) {
    let checks = 0;
    let records = 0;
    let constants = 0;
    for (const r of m.values()) {
      totals.pairs++;
      totals[r.status]++;
      checks += r.checks;
      records = Math.max(records, r.records);
      constants = Math.max(constants, r.constants);
      if (r.status === 'mismatch') problems.push(r);
      if (r.status === 'libc') libcHeaders.add(h);
      if (r.status === 'standalone') standaloneHeaders.add(h);
    }
    totals.checks += checks;
    totals.records += records;
    totals.constants += constants;
    out.push(`${h.padEnd(w)} ${String(records).padStart(7)} ${String(constants).padStart(6)} ${String(checks).padStart(7)}  ${abis.map((a) => (m.get(a) ? cell[m.get(a)!.status] : '-').padEnd(7)).join(' ')}`);
  }
  out.push('');
  out.push('ok: laid out and proven by gcc; S: cannot stand alone, gcc refuses it too (on the committed list); L: needs libc types (gcc compiles it with glibc only); X: mismatch');
  if (problems.length > 0) {
    out.push('', 'mismatches:');
    for (const r of problems) out.push(`  ${r.header} on ${r.abi}: ${r.failures.slice(0, 3).join('; ')}${r.failures.length > 3 ? ` (+${r.failures.length - 3} more)` : ''}`);
  }
  if (standaloneHeaders.size > 0) {
    out.push('', 'cannot stand alone (gcc refuses them too):');
    for (const h of standaloneHeaders) {
      const rs = [...byHeader.get(h)!.values()].filter((r) => r.status === 'standalone');
      out.push(`  ${h} on ${rs.map((r) => r.abi).join(',')}: gcc: ${rs[0]!.gcc}; ours: ${rs[0]!.ours?.replace(/^.*?\/include\//, '')}`);
    }
  }
  if (libcHeaders.size > 0) out.push('', `needs libc types: ${[...libcHeaders].join(' ')}`);
  out.push('', 'totals:');
  out.push(`  headers      ${byHeader.size} of ${treeSize} x ${abis.length} ABIs = ${totals.pairs} pairs`);
  out.push(`  proven       ${totals.proven} pairs (${totals.records} records, ${totals.constants} constants per ABI at most; ${totals.checks} checks)`);
  out.push(`  stand-alone  ${totals.standalone} pairs in ${standaloneHeaders.size} headers (gcc refuses them too)`);
  out.push(`  needs libc   ${totals.libc} pairs in ${libcHeaders.size} headers`);
  out.push(`  mismatches   ${totals.mismatch}`);
  out.push(`  time         ${seconds.toFixed(1)}s`);
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = totals.mismatch + totals.libc > 0 ? 1 : 0;
}

await main();
