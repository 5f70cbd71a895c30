/** `headers sync --from`: a small fake kernel source tree, pinned, drift-checked and verified. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { headersCommand } from '../../generator/src/cli/headers.js';
import { HEADER_ABIS } from '../../generator/src/headers/abis.js';
import { type Manifest, parseManifest, serializeManifest } from '../../generator/src/headers/manifest.js';
import { hashTree } from '../../generator/src/headers/tree-fs.js';

let work: string;
let kernel: string;
let out: string;

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function run(...argv: string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const rc = await headersCommand([...argv, '--dir', out]);
    return { rc, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const manifest = (): Manifest => parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8'));

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'uapi-headers-'));
  kernel = join(work, 'linux');
  out = join(work, 'headers');
  put(join(kernel, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 9\nSUBLEVEL = 3\nEXTRAVERSION =\n');
  put(join(kernel, 'include/uapi/linux/vfio.h'), '#ifndef _UAPI_VFIO_H\n#define _UAPI_VFIO_H\n#include <linux/ioctl.h>\n#endif\n');
  put(join(kernel, 'include/uapi/linux/ioctl.h'), '#include <asm/ioctl.h>\n');
  put(join(kernel, 'include/uapi/asm-generic/ioctl.h'), '/* generic ioctl */\n');
  put(join(kernel, 'include/uapi/asm-generic/types.h'), '/* generic types */\n');
  put(join(kernel, 'include/uapi/asm-generic/Kbuild'), 'mandatory-y += ioctl.h\nmandatory-y += types.h\n');
  put(join(kernel, 'include/linux/kernel.h'), '/* not uapi */\n');
  const karchs = [...new Set(HEADER_ABIS.map((a) => a.karch))];
  for (const k of karchs) {
    put(join(kernel, 'arch', k, 'include/uapi/asm/byteorder.h'), `/* ${k} byteorder */\n`);
    // x86 has its own types.h; the others get the asm-generic wrapper.
    if (k === 'x86') put(join(kernel, 'arch', k, 'include/uapi/asm/types.h'), '/* x86 types */\n');
    put(join(kernel, 'arch', k, 'include/uapi/asm/Kbuild'), k === 'powerpc' ? 'generic-y += param.h\n' : '# nothing\n');
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('headers sync --from a kernel source tree', () => {
  it('copies include/uapi and every arch asm/ into <triplet>/asm, with generic-y wrappers', async () => {
    const r = await run('sync', '--from', kernel, '--name', 'fake');
    expect(r.rc).toBe(0);
    expect(r.stderr).toContain('make headers_install');
    const inc = join(out, 'fake', 'include');
    expect(readFileSync(join(inc, 'linux/vfio.h'), 'utf8')).toContain('_UAPI_VFIO_H');
    expect(existsSync(join(inc, 'linux/kernel.h'))).toBe(false);
    for (const a of HEADER_ABIS) {
      expect(readFileSync(join(inc, a.triplet, 'asm/byteorder.h'), 'utf8')).toBe(`/* ${a.karch} byteorder */\n`);
      expect(readFileSync(join(inc, a.triplet, 'asm/ioctl.h'), 'utf8')).toBe('#include <asm-generic/ioctl.h>\n');
      const types = readFileSync(join(inc, a.triplet, 'asm/types.h'), 'utf8');
      expect(types).toBe(a.karch === 'x86' ? '/* x86 types */\n' : '#include <asm-generic/types.h>\n');
    }
    expect(readFileSync(join(inc, 'powerpc64-linux-gnu/asm/param.h'), 'utf8')).toBe('#include <asm-generic/param.h>\n');
    expect(existsSync(join(inc, 'x86_64-linux-gnu/asm/param.h'))).toBe(false);
    const pin = manifest().trees.fake!;
    expect(pin).toMatchObject({ source: 'local', kind: 'kernel-source', kernel: '6.9.3', path: kernel });
    expect(Object.keys(pin.files)).toContain('riscv64-linux-gnu/asm/types.h');
    expect(Object.keys(pin.asm).sort()).toEqual(HEADER_ABIS.map((a) => a.abi).sort());
    expect(readFileSync(join(out, 'manifest.json'), 'utf8').endsWith('\n')).toBe(true);
  });

  it('is a no-op when nothing changed, and verify passes', async () => {
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const r = await run('sync', '--from', kernel, '--name', 'fake');
    expect(r.rc).toBe(0);
    expect(r.stdout).toContain('fake: ok');
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect((await run('verify')).rc).toBe(0);
    const l = await run('list');
    expect(l.stdout).toMatch(/fake\s+6\.9\.3\s+local:kernel-source/);
  });

  it('refuses drift (exit 3, nothing touched) and accepts it with --update', async () => {
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    put(join(kernel, 'include/uapi/linux/vfio.h'), '/* changed */\n');
    put(join(kernel, 'include/uapi/linux/new.h'), '/* new */\n');
    const r = await run('sync', '--from', kernel, '--name', 'fake');
    expect(r.rc).toBe(3);
    expect(r.stderr).toContain('added (1):\n    linux/new.h');
    expect(r.stderr).toContain('changed (1):\n    linux/vfio.h');
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'fake/include/linux/vfio.h'), 'utf8')).toContain('_UAPI_VFIO_H');
    expect(existsSync(join(out, 'fake/include/linux/new.h'))).toBe(false);
    expect((await run('sync', '--from', kernel, '--name', 'fake', '--update')).rc).toBe(0);
    expect(readFileSync(join(out, 'fake/include/linux/vfio.h'), 'utf8')).toBe('/* changed */\n');
    expect(manifest().trees.fake!.files['linux/new.h']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verify fails on a changed or missing file', async () => {
    const f = join(out, 'fake/include/linux/new.h');
    writeFileSync(f, '/* tampered */\n');
    const r = await run('verify');
    expect(r.rc).not.toBe(0);
    expect(r.stderr).toContain('changed (1):\n    linux/new.h');
    rmSync(f);
    expect((await run('verify')).stderr).toContain('removed (1):\n    linux/new.h');
  });

  it('leaves no staging directories behind', () => {
    expect(existsSync(out)).toBe(true);
    const left = readdirSync(out).filter((n) => n.startsWith('.tmp-') || n.startsWith('.old-'));
    expect(left).toEqual([]);
  });
});

describe('headers sync of a pinned Debian suite', () => {
  it('is a fast no-op without network when the tree on disk matches the pin', async () => {
    const inc = join(out, '9.9', 'include');
    put(join(inc, 'linux/vfio.h'), '/* v */\n');
    const m = manifest();
    m.trees['9.9'] = {
      source: 'debian',
      suite: 'bookworm',
      kernel: '9.9.1',
      packages: [],
      asm: {},
      files: hashTree(inc),
    };
    writeFileSync(join(out, 'manifest.json'), serializeManifest(m));
    const prev = process.env.UAPI_DEBIAN_MIRROR;
    process.env.UAPI_DEBIAN_MIRROR = 'http://127.0.0.1:9/unreachable';
    try {
      const r = await run('sync', '--suite', 'bookworm');
      expect(r.rc).toBe(0);
      expect(r.stdout).toContain('9.9: ok (bookworm');
    } finally {
      if (prev === undefined) delete process.env.UAPI_DEBIAN_MIRROR;
      else process.env.UAPI_DEBIAN_MIRROR = prev;
    }
  });
});
