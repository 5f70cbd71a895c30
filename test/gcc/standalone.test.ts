/**
 * The committed list of headers that cannot stand alone (test/gcc/standalone/<version>.json),
 * entry by entry: on each listed ABI gcc refuses `#include <header>` with the listed error (with
 * glibc and the tree only, tree-proof.ts gccEnv), and we refuse it with the listed error (or, for
 * an entry we lay out, gcc compiles it after its prelude). That nothing else may fail is
 * prove-tree's part (tree-sample.test.ts, scripts/prove-tree.mjs).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs, analyze } from '../../generator/src/pipeline.js';
import { kernelTrees, lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable } from './proof.js';
import { standaloneFor, treeVersion } from './standalone.js';
import { gccEnv, gccMany, treeHeaders } from './tree-proof.js';

const tree = newestTree();
const work = mkdtempSync(join(tmpdir(), 'uapi-standalone-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(lacking(tree !== undefined))(`headers that cannot stand alone${skipReason(tree !== undefined, 'headers/')}`, () => {
  const list = tree ? standaloneFor(tree.include) : undefined;

  it('the newest tree has a list, of headers it has, on ABIs that exist, each said once', () => {
    expect(list?.tree).toBe(treeVersion(tree!.include));
    const all = new Set(treeHeaders(tree!.include));
    const names = ABIS.map((a) => a.name);
    for (const e of list!.headers) {
      expect(all.has(e.header), e.header).toBe(true);
      expect(e.abis.length).toBeGreaterThan(0);
      for (const a of e.abis) expect(names).toContain(a);
      expect(e.reason.length).toBeGreaterThan(0);
      expect(e.ours !== null || e.prelude !== undefined, `${e.header}: an entry we lay out needs a prelude to be proven`).toBe(true);
    }
    expect(new Set(list!.headers.map((e) => e.header)).size).toBe(list!.headers.length);
    // Older trees may use the same list only where it names their version.
    expect(kernelTrees().filter((t) => standaloneFor(t.include)?.tree !== undefined).every((t) => standaloneFor(t.include)!.tree === treeVersion(t.include))).toBe(true);
  });

  for (const abi of ABIS) {
    const have = compilerAvailable(abi);
    it.skipIf(lacking(have))(`${abi.name}: gcc refuses each listed header as listed, and so do we${skipReason(have, abi.gcc)}`, async () => {
      const entries = list!.headers.filter((e) => e.abis.includes(abi.name));
      const dir = join(work, abi.name);
      const env = await gccEnv(abi, tree!.include, join(work, `env-${abi.name}`));
      const inc = abiIncludeDirs([tree!.include], abi).flatMap((d) => ['-I', d]);
      mkdirSync(dir, { recursive: true });
      const files = entries.map((e, i) => {
        writeFileSync(join(dir, `inc_${i}.c`), `#include <${e.header}>\n`);
        if (e.prelude !== undefined) writeFileSync(join(dir, `proof_${i}.c`), `${e.prelude}\n#include <${e.header}>\n`);
        return `inc_${i}.c`;
      });
      const gcc = await gccMany(abi, dir, files, ['-fsyntax-only', ...inc, ...env.glibc]);
      const withPrelude = entries.some((e) => e.prelude !== undefined)
        ? await gccMany(abi, dir, entries.flatMap((e, i) => (e.prelude !== undefined ? [`proof_${i}.c`] : [])), ['-fsyntax-only', ...inc, ...env.glibc])
        : new Map<string, string[]>();
      entries.forEach((e, i) => {
        const errors = gcc.get(`inc_${i}.c`)!;
        expect(errors.length, `gcc compiles ${e.header} on ${abi.name}`).toBeGreaterThan(0);
        expect(errors.some((l) => l.includes(e.gcc)), `gcc on ${e.header} (${abi.name}): ${errors.join(' | ')}`).toBe(true);
        const ours = analyze({ header: e.header, includeDirs: [tree!.include], read: readSource }, abi).diagnostics.filter((d) => d.severity === 'error');
        if (e.ours === null) {
          expect(ours.map((d) => d.message), `we lay out ${e.header} on ${abi.name}`).toEqual([]);
          expect(withPrelude.get(`proof_${i}.c`), `gcc with ${e.header}'s prelude`).toEqual([]);
        } else {
          expect(ours.some((d) => d.message.includes(e.ours!)), `our errors on ${e.header} (${abi.name}): ${ours.map((d) => d.message).join(' | ')}`).toBe(true);
        }
      });
    }, 120_000);
  }
});
