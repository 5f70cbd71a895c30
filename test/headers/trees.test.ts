/** The synced kernel trees (headers/<ver>/include): pinned content and the files every ABI needs. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { headersCommand } from '../../generator/src/cli/headers.js';
import { HEADER_ABIS } from '../../generator/src/headers/abis.js';
import { parseManifest } from '../../generator/src/headers/manifest.js';
import { HEADERS, kernelTrees, lacking, skipReason } from '../support/trees.js';

const trees = kernelTrees();
const manifestPath = join(HEADERS, 'manifest.json');

describe('synced kernel header trees', () => {
  it.skipIf(lacking(trees.length > 0))(`headers verify passes${skipReason(trees.length > 0, 'headers/ (npx uapi-ts headers sync)')}`, async () => {
    let stderr = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    let rc: number;
    try {
      rc = await headersCommand(['verify']);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    expect(stderr).toBe('');
    expect(rc).toBe(0);
  });

  it('the manifest pins the four Debian suites with every ABI asm/ origin', () => {
    // Committed with the repository: never absent.
    expect(existsSync(manifestPath)).toBe(true);
    const m = parseManifest(readFileSync(manifestPath, 'utf8'));
    const debian = Object.values(m.trees).filter((t) => t.source === 'debian');
    expect(debian.map((t) => t.suite).sort()).toEqual(['bookworm', 'bullseye', 'sid', 'trixie']);
    for (const t of debian) {
      expect(Object.keys(t.asm).sort()).toEqual(HEADER_ABIS.map((a) => a.abi).sort());
      for (const p of t.packages ?? []) expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      for (const a of HEADER_ABIS) expect(t.files[`${a.triplet}/asm/types.h`], `${t.suite} ${a.abi}`).toMatch(/^[0-9a-f]{64}$/);
      expect(t.files['linux/vfio.h']).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  for (const tree of trees) {
    it(`${tree.name} has linux/vfio.h and asm/types.h + asm/ioctl.h for all 8 ABIs`, () => {
      expect(existsSync(join(tree.include, 'linux', 'vfio.h'))).toBe(true);
      expect(existsSync(join(tree.include, 'asm-generic', 'ioctl.h'))).toBe(true);
      for (const a of HEADER_ABIS) {
        for (const h of ['types.h', 'ioctl.h']) {
          expect(existsSync(join(tree.include, a.triplet, 'asm', h)), `${tree.name} ${a.triplet}/asm/${h}`).toBe(true);
        }
      }
      // A tree is self-contained: no plain asm/ that would shadow the multiarch dirs.
      expect(existsSync(join(tree.include, 'asm'))).toBe(false);
    });
  }
});
