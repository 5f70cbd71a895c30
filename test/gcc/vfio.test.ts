/**
 * vfio.h of every synced kernel (bullseye 5.10, bookworm 6.1, trixie 6.12, sid) on all 8 ABIs:
 * every record, field, bitfield and constant we compute is checked by that ABI's gcc.
 */
import { describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { kernelTrees, lacking, skipReason } from '../support/trees.js';
import { compilerAvailable, prove } from './proof.js';

const trees = kernelTrees();

describe('vfio.h layouts and constants equal gcc', () => {
  it.skipIf(lacking(trees.length > 0))(`has the four kernel header trees to prove${skipReason(trees.length > 0, 'headers/ (npx uapi-ts headers sync)')}`, () => {
    expect(trees.map((t) => t.name).length).toBeGreaterThanOrEqual(4);
  });
  for (const tree of trees) {
    for (const abi of ABIS) {
      it.skipIf(lacking(compilerAvailable(abi)))(`linux ${tree.name} on ${abi.name}${skipReason(compilerAvailable(abi), abi.gcc)}`, async () => {
        const a = analyze({ header: 'linux/vfio.h', includeDirs: [tree.include], read: readSource }, abi);
        // Everything in vfio.h parses: no unknown construct, nothing unsupported.
        expect(a.diagnostics.map(formatDiagnostic)).toEqual([]);
        const r = await prove(a.laid, [tree.include]);
        expect(r.failures).toEqual([]);
        expect(r.records).toBeGreaterThan(30);
        expect(r.constants).toBeGreaterThan(100);
      });
    }
  }
});
