/**
 * String-valued macros (`#define VFIO_DEVICE_API_PCI_STRING "vfio-pci"`) become string constants
 * of the generated package. Which macros are string literals, and their bytes, come from gcc:
 * `gcc -E -dD` lists each header's own macro definitions, and a program compiled with the header
 * prints the bytes of each one (sizeof - 1 of them, so an embedded NUL or a byte >= 0x80 counts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as vfio from '@uapi-ts/vfio';
import { analyzeHeader } from '../../generator/src/cli/load.js';
import { emitPackage, strLit } from '../../generator/src/emit/emit.js';
import { buildModel } from '../../generator/src/emit/model/index.js';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { check } from '../support/proc.js';
import { newestTree, REQUIRE_TREES } from '../support/trees.js';

const tree = newestTree();
// Plain strings, octal and hex escapes (ELFMAG "\177ELF", TIPC_CFG_TLV_ERROR "\x80"), several per header.
const HEADERS = ['linux/vfio.h', 'linux/elf.h', 'linux/tipc_config.h', 'linux/dm-ioctl.h', 'linux/user_events.h', 'linux/qemu_fw_cfg.h'];
const ABIS = ['x86_64', 'i386'].map((n) => getAbi(n)!);
// gcc of the ABI the tests run on (the byte-printing program runs natively), with its multiarch -I dirs.
const HOST = ABIS[0]!;
const includeArgs = (include: string): string[] => abiIncludeDirs([include], HOST).flatMap((d) => ['-I', d]);
const work = mkdtempSync(join(tmpdir(), 'uapi-strings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The macros `header` itself defines whose body is only string literals, as gcc -E -dD reports them. */
async function gccStringMacros(include: string, header: string): Promise<string[]> {
  const out = await check(HOST.gcc, ['-E', '-dD', ...includeArgs(include), '-x', 'c', '-'], { input: `#include <${header}>\n` });
  const names: string[] = [];
  let file = '';
  for (const line of out.split('\n')) {
    const marker = /^# \d+ "([^"]*)"/.exec(line);
    if (marker) {
      file = marker[1]!;
      continue;
    }
    const def = /^#define (\w+) (.*)$/.exec(line);
    if (def && file.endsWith(`/${header}`) && /^"(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*\s*$/.test(def[2]!)) names.push(def[1]!);
  }
  return names;
}

/** Each macro's bytes as the compiled program sees them: name -> lowercase hex pairs. */
async function gccBytes(include: string, header: string, names: readonly string[]): Promise<Map<string, string>> {
  const src = join(work, `${header.replace(/\W/g, '_')}.c`);
  const exe = src.replace(/\.c$/, '');
  writeFileSync(
    src,
    [
      '#include <stdio.h>',
      `#include <${header}>`,
      'static void p(const char *n, const char *s, unsigned long len) {',
      '  printf("%s", n);',
      '  for (unsigned long i = 0; i < len; i++) printf(" %02x", (unsigned char)s[i]);',
      '  printf("\\n");',
      '}',
      'int main(void) {',
      ...names.map((n) => `  p("${n}", ${n}, sizeof(${n}) - 1);`),
      '  return 0;',
      '}',
      '',
    ].join('\n'),
  );
  await check(HOST.gcc, ['-w', ...includeArgs(include), '-o', exe, src]);
  const out = await check(exe, []);
  return new Map(out.trim().split('\n').map((l) => {
    const [n, ...hex] = l.split(' ');
    return [n!, hex.join(' ')] as const;
  }));
}

const hexOf = (s: string): string => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');

describe.skipIf(!tree && !REQUIRE_TREES)('string constants equal gcc', () => {
  for (const header of HEADERS) {
    it(header, async () => {
      const include = tree!.include;
      const model = buildModel({ header, analyses: analyzeHeader(header, [include], ABIS) });
      const ours = new Map(model.strings.map((s) => [s.name, s.value]));
      const literal = await gccStringMacros(include, header);
      expect(literal.length, `gcc -dD finds string macros in ${header}`).toBeGreaterThan(0);
      // Every macro gcc shows as a string literal is one of ours (ours may add macros that expand
      // to one through another macro); every value of ours is the program's bytes.
      expect([...ours.keys()]).toEqual(expect.arrayContaining(literal));
      const bytes = await gccBytes(include, header, [...ours.keys()]);
      for (const [name, value] of ours) expect(hexOf(value), name).toBe(bytes.get(name));
      // Emitted as a literal that evaluates to the same string.
      const files = emitPackage(model, { packageName: '@uapi-ts/t', kernel: '0', sha256: '0'.repeat(64), runtimeVersion: '0.1.0' });
      const constants = files.get('src/constants.ts')!;
      // tables.json carries them for tools, the same strings.
      expect((JSON.parse(files.get('tables.json')!) as { strings: Record<string, string> }).strings).toEqual(Object.fromEntries(ours));
      for (const s of model.strings) {
        expect(constants).toContain(`export const ${s.jsName} = ${strLit(s.value)};`);
        expect(new Function(`return ${strLit(s.value)};`)()).toBe(s.value);
      }
    });
  }

  it('@uapi-ts/vfio exports the device_api strings with gcc\'s values', async () => {
    const include = tree!.include;
    const names = await gccStringMacros(include, 'linux/vfio.h');
    const bytes = await gccBytes(include, 'linux/vfio.h', names);
    expect(names).toContain('VFIO_DEVICE_API_PCI_STRING');
    for (const n of names) expect(hexOf((vfio as unknown as Record<string, string>)[n]!), n).toBe(bytes.get(n));
  });
});
