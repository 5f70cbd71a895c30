/**
 * prove-tree on a sample of the newest tree: at least 100 headers drawn with a committed seed from
 * every directory of the tree (plus the headers issue 16 names), x 8 ABIs, each laid out and proven
 * by gcc (sizes, alignments, offsets, member sizes, constants, bitfield bits and windows), or
 * refused by gcc too and on the committed stand-alone list. The whole tree is
 * `node scripts/prove-tree.mjs` (about 10 minutes on 2 cores); this sample takes about a minute.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ABIS, withTime64 } from '../../generator/src/layout/abi/index.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable, windowProblem } from './proof.js';
import { judge, preludes, standaloneFor } from './standalone.js';
import { ALWAYS, proveTreeAbi, SAMPLE_SEED, SAMPLE_SIZE, sampleHeaders, treeHeaders, type PairResult } from './tree-proof.js';

const tree = newestTree();
const rows = new Map<string, Map<string, PairResult>>();
const started = Date.now();

afterAll(() => {
  if (rows.size === 0) return;
  const abis = [...ABIS.map((a) => a.name), 'i386/64', 'armhf/64'];
  const lines = [...rows].map(([h, m]) => `${h.padEnd(44)} ${abis.map((a) => ({ proven: 'ok', standalone: 'S', libc: 'L', mismatch: 'X' })[m.get(a)?.status ?? 'mismatch'].padEnd(7)).join(' ')}`);
  process.stdout.write(`\nprove-tree sample (seed ${SAMPLE_SEED}, ${rows.size} headers of linux ${tree?.name}, ${((Date.now() - started) / 1000).toFixed(0)}s):\n${''.padEnd(44)} ${abis.map((a) => a.padEnd(7)).join(' ')}\n${lines.join('\n')}\n`);
});

describe('the tree proof itself', () => {
  it('draws the same sample for the same seed, from every directory', () => {
    const all = ['linux/a.h', 'linux/b.h', 'linux/c.h', 'linux/usb/d.h', 'drm/e.h', 'xen/f.h', 'sound/g.h', 'sound/h.h'];
    const s = sampleHeaders(all, 3, 7);
    expect(sampleHeaders(all, 3, 7)).toEqual(s);
    expect(new Set(s.map((h) => h.split('/')[0]))).toEqual(new Set(['linux', 'drm', 'xen', 'sound']));
    expect(sampleHeaders(all, 3, 7, ['linux/c.h'])).toContain('linux/c.h');
  });

  it('a bitfield window that does not hold the bits gcc set is a failure', () => {
    // 3 bits at bit 2 of byte 1, little-endian: gcc's bytes 00 1c.
    const got = new Uint8Array([0x00, 0x1c, 0x00, 0x00]);
    expect(windowProblem('little', got, { offset: 1, size: 1, pos: 2, width: 3 })).toBeUndefined();
    expect(windowProblem('little', got, { offset: 0, size: 2, pos: 10, width: 3 })).toBeUndefined();
    expect(windowProblem('little', got, { offset: 0, size: 2, pos: 9, width: 3 })).toMatch(/gcc's bits read/);
    expect(windowProblem('little', got, { offset: 0, size: 1, pos: 2, width: 3 })).toMatch(/outside window/);
    // Big-endian: the same bits counted from the most significant bit: byte 1 = 0b00111000.
    expect(windowProblem('big', new Uint8Array([0x00, 0x38]), { offset: 0, size: 2, pos: 10, width: 3 })).toBeUndefined();
    expect(windowProblem('big', new Uint8Array([0x00, 0x38]), { offset: 0, size: 2, pos: 11, width: 3 })).toMatch(/gcc's bits read/);
  });
});

describe.skipIf(lacking(tree !== undefined))(`prove-tree sample x 8 ABIs${skipReason(tree !== undefined, 'headers/')}`, () => {
  const all = tree ? treeHeaders(tree.include) : [];
  const sample = sampleHeaders(all, SAMPLE_SIZE, SAMPLE_SEED, ALWAYS);
  const list = tree ? standaloneFor(tree.include) : undefined;

  it(`draws at least ${SAMPLE_SIZE} headers from every directory of the tree`, () => {
    expect(sample.length).toBeGreaterThanOrEqual(SAMPLE_SIZE);
    expect(new Set(sample.map((h) => h.split('/')[0]))).toEqual(new Set(all.map((h) => h.split('/')[0])));
    for (const h of ALWAYS) expect(sample).toContain(h);
    expect(list, 'test/gcc/standalone/<version>.json for the newest tree').toBeDefined();
  });

  // Both time_t variants where they differ (32-bit time_t by default on i386 and armhf).
  const variants = [...ABIS, ...ABIS.filter((a) => a.name === 'i386' || a.name === 'armhf').map(withTime64)];
  for (const abi of variants) {
    const have = compilerAvailable(abi);
    it.skipIf(lacking(have))(`${abi.name}${abi.time64 ? ' --time64' : ''}${skipReason(have, abi.gcc)}`, async () => {
      const rs = (await proveTreeAbi(abi, sample, { include: tree!.include, jobs: 2, preludes: preludes(list) })).map((r) => judge(r, list));
      for (const r of rs) {
        if (!rows.has(r.header)) rows.set(r.header, new Map());
        rows.get(r.header)!.set(abi.time64 ? `${r.abi}/64` : r.abi, r);
      }
      // With the libc model (docs/libc-model.md), a header that needs libc types lays out too.
      const bad = rs.filter((r) => r.status === 'mismatch' || r.status === 'libc');
      expect(bad.map((r) => `${r.header}: ${r.failures.join('; ')}`)).toEqual([]);
      expect(rs.filter((r) => r.status === 'proven').length).toBeGreaterThan(sample.length * 0.8);
    }, 600_000);
  }
});
