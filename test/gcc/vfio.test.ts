/**
 * vfio.h of every synced kernel (bullseye 5.10, bookworm 6.1, trixie 6.12, sid) on all 8 ABIs:
 * every record, field, bitfield and constant we compute is checked by that ABI's gcc.
 */
import { describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { CAP_ALIGN_CODE } from '../../generator/src/layout/index.js';
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
        // Everything in vfio.h parses: no unknown construct, nothing unsupported. The one warning
        // is the point of the project: before 6.6 vfio_device_info (20 bytes) misaligns its caps.
        expect(a.diagnostics.filter((d) => d.code !== CAP_ALIGN_CODE).map(formatDiagnostic)).toEqual([]);
        const misaligned = a.diagnostics.filter((d) => d.code === CAP_ALIGN_CODE).map((d) => /^(struct \w+)/.exec(d.message)![1]);
        const size = (name: string): number => a.laid.records.get(a.ir.tags.get(name)!)!.size;
        expect(misaligned).toEqual(['struct vfio_device_info', 'struct vfio_iommu_type1_info'].filter((n) => size(n) % 8 !== 0));
        if (Number(tree.name.split('.')[0]) < 6 || tree.name.startsWith('6.1') && !tree.name.startsWith('6.12')) expect(misaligned).toContain('struct vfio_device_info');
        const r = await prove(a.laid, [tree.include]);
        expect(r.failures).toEqual([]);
        expect(r.records).toBeGreaterThan(30);
        expect(r.constants).toBeGreaterThan(100);
      });
    }
  }
});
