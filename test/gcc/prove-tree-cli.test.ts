/**
 * scripts/prove-tree.mjs on a small tree: the table and totals, exit 0 when every pair is proven
 * or listed, 1 on a refusal not on the stand-alone list or a header that needs libc types, 2 on a
 * usage error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { runNode } from '../support/proc.js';
import { lacking, REPO, skipReason } from '../support/trees.js';
import { compilerAvailable } from './proof.js';

const SCRIPT = join(REPO, 'scripts', 'prove-tree.mjs');
const root = mkdtempSync(join(tmpdir(), 'uapi-prove-tree-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const include = join(root, 'include');
mkdirSync(join(include, 'linux'), { recursive: true });
writeFileSync(join(include, 'linux', 'ok.h'), 'struct ok { unsigned char c; unsigned int bits : 3; unsigned long long v; };\n#define OK_SIZE sizeof(struct ok)\n');
writeFileSync(join(include, 'linux', 'direct.h'), '#error "direct.h included directly"\n');
const list = (headers: object[]): string => {
  const p = join(root, `list-${headers.length}.json`);
  writeFileSync(p, JSON.stringify({ tree: 'test', headers }));
  return p;
};
const listed = { header: 'linux/direct.h', abis: ['x86_64'], reason: 'test', gcc: 'included directly', ours: 'included directly' };

const have = compilerAvailable(getAbi('x86_64')!);
describe.skipIf(lacking(have))(`prove-tree's exit status${skipReason(have, 'x86_64-linux-gnu-gcc')}`, () => {
  it('0 when every pair is proven or on the stand-alone list', async () => {
    const r = await runNode([SCRIPT, '--tree', include, '--abi', 'x86_64', '--standalone', list([listed])]);
    expect(r.stdout).toMatch(/^linux\/ok\.h +1 +1 +\d+ +ok/m);
    expect(r.stdout).toMatch(/^linux\/direct\.h .* S/m);
    expect(r.stdout).toContain('mismatches   0');
    expect(r.status).toBe(0);
  }, 120_000);

  it('takes a --tree relative to the working directory (gcc runs elsewhere)', async () => {
    const r = await runNode([SCRIPT, '--tree', 'include', '--abi', 'x86_64', '--standalone', list([listed])], { cwd: root });
    expect(r.stdout).toMatch(/^linux\/ok\.h +1 +1 +\d+ +ok/m);
    expect(r.stdout).toContain('mismatches   0');
    expect(r.status).toBe(0);
  }, 120_000);

  it('1 when gcc refuses a header that is not on the list', async () => {
    const r = await runNode([SCRIPT, '--tree', include, '--abi', 'x86_64', '--standalone', list([])]);
    expect(r.stdout).toMatch(/linux\/direct\.h on x86_64: not on the stand-alone list/);
    expect(r.stdout).toContain('mismatches   1');
    expect(r.status).toBe(1);
  }, 120_000);

  // <pwd.h>: a libc header no uapi header includes, so no libc model of uapi's needs provides it.
  it('1 when a header needs libc types (gcc compiles it with glibc only)', async () => {
    writeFileSync(join(include, 'linux', 'libc.h'), '#include <pwd.h>\nstruct uses { struct passwd pw; };\n');
    try {
      const r = await runNode([SCRIPT, '--tree', include, '--abi', 'x86_64', '--header', 'linux/libc.h', '--standalone', list([listed])]);
      expect(r.stdout).toMatch(/^linux\/libc\.h .* L/m);
      expect(r.stdout).toContain('needs libc   1 pairs in 1 headers');
      expect(r.status).toBe(1);
    } finally {
      rmSync(join(include, 'linux', 'libc.h'));
    }
  }, 120_000);

  it('2 on a usage error', async () => {
    const r = await runNode([SCRIPT, '--abi', 'vax']);
    expect(r.stderr).toMatch(/--abi takes one of x86_64/);
    expect(r.status).toBe(2);
  }, 60_000);
});
