/**
 * The parse gaps of issue 16, each a fixture under test/fixtures/parse-gaps/ proven against gcc on
 * all 8 ABIs: an attribute among a typedef's specifiers (rdma/ib_user_mad.h's packed_ulong),
 * file-scope `_Static_assert` over offsetof/sizeof (scsi/fc/fc_els.h), evaluated per ABI and an
 * error exactly where gcc fails, and the offsetof idiom in constants (linux/nilfs2_ondisk.h's
 * NILFS_SB_BYTES), evaluated per ABI or said with a warning.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { lacking, REPO, skipReason } from '../support/trees.js';
import { compilerAvailable, headerCompiles, prove } from './proof.js';

const INCLUDE = join(REPO, 'test', 'fixtures', 'parse-gaps', 'include');
const messages = (a: ReturnType<typeof analyze>): string[] => a.diagnostics.map((d) => formatDiagnostic(d).replace(/^.*\/include\//, ''));

describe('parse gaps equal gcc', () => {
  for (const abi of ABIS) {
    const have = compilerAvailable(abi);
    describe.skipIf(lacking(have))(`${abi.name}${skipReason(have, abi.gcc)}`, () => {
      it('typedef unsigned long __attribute__((aligned(4))) packed_ulong', async () => {
        const a = analyze({ header: 'gaps/packed-ulong.h', includeDirs: [INCLUDE], read: readSource }, abi);
        expect(messages(a)).toEqual([]);
        expect(a.ir.typedefs.get('packed_ulong')?.attrs.aligned).toBe(4);
        const r = await prove(a.laid, [INCLUDE]);
        expect(r.failures).toEqual([]);
        expect(r.records).toBe(2);
        expect(r.constants).toBe(1);
      });

      it('file-scope _Static_assert(offsetof(...) == sizeof(...)) that holds', async () => {
        const a = analyze({ header: 'gaps/static-assert.h', includeDirs: [INCLUDE], read: readSource }, abi);
        expect(messages(a)).toEqual([]);
        expect(a.ir.staticAsserts?.map((s) => [s.loc.line, s.message])).toEqual([
          [13, '"struct member likely outside of the header group"'],
          [16, '"eight bytes"'],
        ]);
        const r = await prove(a.laid, [INCLUDE]);
        expect(r.failures).toEqual([]);
        expect(r.records).toBe(3);
        expect(a.laid.constants.map((c) => c.name)).toEqual(['SA_TAIL_OFFSET']);
      });

      it('a _Static_assert that fails is an error exactly where gcc fails', async () => {
        const a = analyze({ header: 'gaps/static-assert-fails.h', includeDirs: [INCLUDE], read: readSource }, abi);
        const lp64 = abi.ints.long.size === 8;
        expect(messages(a)).toEqual(lp64 ? [] : [`gaps/static-assert-fails.h:3:1: error: static assertion failed on ${abi.name}: "needs an 8-byte long" [layout-static-assert]`]);
        expect(await headerCompiles(abi, 'gaps/static-assert-fails.h', INCLUDE)).toBe(lp64);
      });

      it('the offsetof idiom in constants, evaluated per ABI; one that cannot be is a warning', async () => {
        const a = analyze({ header: 'gaps/offsetof-constant.h', includeDirs: [INCLUDE], read: readSource }, abi);
        expect(messages(a)).toEqual([
          expect.stringMatching(/^gaps\/offsetof-constant\.h:25:9: warning: OC_NOSUCH takes a member's offset .* cannot be evaluated on \S+: .*unknown struct oc_nosuch \[layout-constant-offsetof\]$/),
        ]);
        expect(a.laid.constants.map((c) => c.name)).toEqual(['OC_SB_BYTES', 'OC_Y1', 'OC_D', 'OC_BUILTIN', 'OC_STDDEF']);
        const r = await prove(a.laid, [INCLUDE]);
        expect(r.failures).toEqual([]);
        expect(r.constants).toBe(5);
      });
    });
  }
});
