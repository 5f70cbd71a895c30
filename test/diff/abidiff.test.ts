/**
 * Cross-check with libabigail: compile linux/vfio.h of 6.1 and of 6.12 for x86_64 with -g, one
 * variable of every struct type, and compare the set of struct types abidiff says changed with the
 * set our diff says changed. abidiff reports a struct also when a struct it embeds changed (a flexible
 * array of vfio_pci_dependent_device makes vfio_pci_hot_reset_info change), so our set is closed
 * over embedding before comparing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffAll } from '../../generator/src/diff/index.js';
import { HEADERS, kernelTrees, REQUIRE_TREES } from '../support/trees.js';
import { abi, compilerAvailable, layouts } from './support.js';

const T61 = join(HEADERS, '6.1/include');
const T612 = join(HEADERS, '6.12/include');
const haveTrees = existsSync(join(T61, 'linux/vfio.h')) && existsSync(join(T612, 'linux/vfio.h'));
const haveAbidiff = spawnSync('abidiff', ['--version'], { stdio: 'ignore' }).status === 0;
const x86 = abi('x86_64');
const reason = !haveAbidiff ? 'abidiff not installed (apt-get install abigail-tools)' : !haveTrees ? 'headers/6.1 or headers/6.12 missing' : 'x86_64-linux-gnu-gcc missing';

describe.skipIf(!haveAbidiff || (!haveTrees && !REQUIRE_TREES) || !compilerAvailable(x86))(`abidiff agrees on x86_64${haveAbidiff && haveTrees ? '' : ` (skipped: ${reason})`}`, () => {
  // 6.1 -> 6.12 always (CI has both); every other consecutive pair of synced trees as well.
  const trees = kernelTrees();
  const pairs = trees.slice(1).map((t, i) => [trees[i]!, t] as const);
  if (!pairs.some(([a, b]) => a.include === T61 && b.include === T612)) pairs.push([{ name: '6.1', include: T61 }, { name: '6.12', include: T612 }]);
  it.each(pairs.map(([a, b]) => ({ from: a, to: b, label: `${a.name} -> ${b.name}` })))('changed struct types, $label', ({ from, to }) => {
    const [T61, T612] = [from.include, to.include];
    const old = layouts('linux/vfio.h', T61, ['x86_64'])[0]!;
    const nw = layouts('linux/vfio.h', T612, ['x86_64'])[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'uapi-abidiff-'));
    try {
      const objects = [T61, T612].map((tree, i) => {
        const doc = i === 0 ? old : nw;
        const src = join(dir, `v${i}.c`);
        const obj = join(dir, `v${i}.o`);
        const vars = doc.records.map((r) => `${r.kind} ${r.name} dummy_${r.name};`);
        writeFileSync(src, ['#include <linux/vfio.h>', ...vars, ''].join('\n'));
        const cc = spawnSync(x86.gcc, ['-g', '-c', '-o', obj, '-I', join(tree, x86.triplet), '-I', tree, src], { encoding: 'utf8' });
        expect(cc.status, cc.stderr).toBe(0);
        return obj;
      });
      const r = spawnSync('abidiff', ['--harmless', ...objects], { encoding: 'utf8' });
      expect(r.status, r.stderr).not.toBe(1); // 1 = abidiff error; 4/12 = changes
      const theirs = [...r.stdout.matchAll(/\[C\] '[^']*? dummy_(\w+)' was changed/g)].map((m) => m[1]!).sort();

      // Ours: records with a change (added/removed ones are not "changed"), closed over embedding.
      const direct = new Set(diffAll([old], [nw]).filter((c) => c.record && c.action !== 'added' && !(c.subject === 'record' && c.action === 'removed')).map((c) => c.record!.replace(/^(struct|union) /, '')));
      const ours = new Set(direct);
      for (let grew = true; grew; ) {
        grew = false;
        for (const r of nw.records) {
          if (ours.has(r.name) || !old.records.some((o) => o.name === r.name)) continue;
          const types = JSON.stringify(r.fields);
          if ([...ours].some((n) => new RegExp(`"(struct|union) ${n}(\\[\\d*\\])?"`).test(types))) {
            ours.add(r.name);
            grew = true;
          }
        }
      }
      expect([...ours].sort()).toEqual(theirs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
