/**
 * Bindings for any header compile: a package for each header of prove-tree's CI sample (seeded,
 * from every directory of the newest tree; tree-sample.test.ts), generated outside the checkout and
 * type-checked under tsc --strict with its own compiler options. The whole tree is
 * `node scripts/tree-packages.mjs` (about 20 minutes on 2 cores).
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { ALWAYS, SAMPLE_SEED, SAMPLE_SIZE, sampleHeaders, treeHeaders } from '../gcc/tree-proof.js';
import { generatePackages, typecheckPackages } from './tree-packages.js';

const tree = newestTree();
const work = mkdtempSync(join(tmpdir(), 'uapi-tree-packages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(lacking(tree !== undefined))(`a package for each header of the sample type-checks${skipReason(tree !== undefined, 'headers/')}`, () => {
  it('every sampled header that lays out gets a package that tsc --strict accepts', async () => {
    const sample = sampleHeaders(treeHeaders(tree!.include), SAMPLE_SIZE, SAMPLE_SEED, ALWAYS);
    const started = Date.now();
    const rs = await generatePackages(tree!.include, sample, join(work, 'sample'));
    const generated = Date.now();
    await typecheckPackages(join(work, 'sample'), rs);
    const made = rs.filter((r) => r.dir !== undefined);
    process.stdout.write(`\n${made.length} of ${sample.length} sampled headers: packages generated in ${((generated - started) / 1000).toFixed(0)}s, type-checked in ${((Date.now() - generated) / 1000).toFixed(0)}s; no package (does not lay out): ${rs.filter((r) => r.skipped).map((r) => r.header).join(' ')}\n`);
    expect(rs.filter((r) => r.errors.length > 0).map((r) => `${r.header}: ${r.errors.slice(0, 3).join(' | ')}`)).toEqual([]);
    expect(made.length).toBeGreaterThan(sample.length * 0.8);
  }, 900_000);

  it('a type error in one package is found and filed under its header', async () => {
    const out = join(work, 'broken');
    const rs = await generatePackages(tree!.include, ['linux/types.h', 'linux/const.h'], out);
    appendFileSync(join(out, rs[1]!.dir!, 'src', 'index.ts'), '\nexport const broken: number = "not a number";\n');
    await typecheckPackages(out, rs);
    expect(rs[0]!.errors).toEqual([]);
    expect(rs[1]!.errors).toEqual([expect.stringMatching(/^linux_const_h\/src\/index\.ts\(\d+,\d+\): error TS2322: /)]);
  }, 120_000);
});
