/** Our per-ABI predefined macros and base type sizes must be what each cross gcc says. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { compilerAvailable } from '../gcc/proof.js';
import { lacking, skipReason } from '../support/trees.js';

function gccPredefined(gcc: string): Map<string, string> {
  const r = spawnSync(gcc, ['-dM', '-E', '-x', 'c', '-std=gnu17', '/dev/null'], { encoding: 'utf8' });
  const m = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const x = /^#define (\S+) ?(.*)$/.exec(line);
    if (x) m.set(x[1]!, x[2]!);
  }
  return m;
}

describe('ABI tables agree with gcc', () => {
  for (const abi of ABIS) {
    it.skipIf(lacking(compilerAvailable(abi)))(`${abi.name} predefined macros${skipReason(compilerAvailable(abi), abi.gcc)}`, () => {
      const gcc = gccPredefined(abi.gcc);
      for (const [name, value] of Object.entries(abi.predefined)) {
        if (name === '__GNUC__' || name === '__STDC__') continue; // compiler identity, not ABI
        expect(gcc.get(name), `${name} on ${abi.name}`).toBe(value);
      }
      // Every architecture/endianness macro gcc defines that uapi headers test, we define too.
      for (const name of ['__x86_64__', '__i386__', '__aarch64__', '__arm__', '__s390x__', '__powerpc64__', '__riscv', '__BIG_ENDIAN__', '__LITTLE_ENDIAN__', '__ARMEB__', '__AARCH64EB__', '__ILP32__', '__LP64__', '__CHAR_UNSIGNED__']) {
        expect(abi.predefined[name], `${name} on ${abi.name}`).toBe(gcc.get(name));
      }
      expect(Number(gcc.get('__SIZEOF_LONG__'))).toBe(abi.ints.long.size);
      expect(Number(gcc.get('__SIZEOF_POINTER__'))).toBe(abi.pointer.size);
      expect(Number(gcc.get('__SIZEOF_LONG_DOUBLE__'))).toBe(abi.floats.ldouble.size);
      expect(Number(gcc.get('__BIGGEST_ALIGNMENT__'))).toBe(abi.biggestAlignment);
      expect(gcc.get('__BYTE_ORDER__')).toBe(abi.endian === 'little' ? '__ORDER_LITTLE_ENDIAN__' : '__ORDER_BIG_ENDIAN__');
      expect(gcc.has('__CHAR_UNSIGNED__')).toBe(!abi.charSigned);
    });
  }
});
