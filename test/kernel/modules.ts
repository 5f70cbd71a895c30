/**
 * Kernel modules for the test initramfs: Debian's kernel packages ship the .ko files without
 * modules.dep (depmod runs in postinst), so the load order is computed here from each module's
 * `.modinfo` section (`name=`, `depends=`), read straight from the ELF file (either byte order).
 */

export interface ModInfo {
  /** The module's name (`name=`, '-' folded to '_'), else derived from the file name. */
  name: string;
  /** `depends=`, '-' folded to '_' (6.1 writes 'vfio-pci-core'). */
  depends: string[];
}

/** A module name as the kernel compares them: '-' and '_' are the same. */
export const modName = (s: string): string => s.replace(/-/g, '_');

/** The module name a file name gives ("vfio-pci.ko.xz" → "vfio_pci"). */
export const modNameOfFile = (file: string): string => modName(file.replace(/^.*\//, '').replace(/\.ko(\.(xz|gz|zst))?$/, ''));

/** The `.modinfo` strings of an ELF relocatable module (32- or 64-bit, little- or big-endian). */
export function modinfoStrings(elf: Uint8Array): string[] {
  if (elf.length < 64 || elf[0] !== 0x7f || elf[1] !== 0x45 || elf[2] !== 0x4c || elf[3] !== 0x46) throw new Error('not an ELF file');
  const is64 = elf[4] === 2;
  const le = elf[5] === 1;
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, le);
  const u32 = (o: number): number => dv.getUint32(o, le);
  const addr = (o: number): number => (is64 ? Number(dv.getBigUint64(o, le)) : u32(o));
  const shoff = addr(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  const section = (i: number): { name: number; offset: number; size: number } => {
    const h = shoff + i * shentsize;
    return { name: u32(h), offset: addr(h + (is64 ? 0x18 : 0x10)), size: addr(h + (is64 ? 0x20 : 0x14)) };
  };
  const strtab = section(shstrndx);
  const cstr = (off: number): string => {
    let end = off;
    while (end < elf.length && elf[end] !== 0) end++;
    return Buffer.from(elf.subarray(off, end)).toString('latin1');
  };
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (cstr(strtab.offset + s.name) !== '.modinfo') continue;
    return Buffer.from(elf.subarray(s.offset, s.offset + s.size))
      .toString('latin1')
      .split('\0')
      .filter((x) => x.length > 0);
  }
  throw new Error('no .modinfo section');
}

export function modinfo(elf: Uint8Array, file: string): ModInfo {
  const strings = modinfoStrings(elf);
  const get = (k: string): string | undefined => strings.find((s) => s.startsWith(`${k}=`))?.slice(k.length + 1);
  const deps = get('depends') ?? '';
  return { name: modName(get('name') ?? modNameOfFile(file)), depends: deps.split(',').filter((d) => d.length > 0).map(modName) };
}

/**
 * The load order of `roots` and everything they depend on: dependencies first, each module once.
 * `builtin` names are satisfied without loading. A dependency that is neither available nor
 * built in is an error naming who needs it.
 */
export function loadOrder(roots: readonly string[], available: ReadonlyMap<string, ModInfo>, builtin: ReadonlySet<string>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, from: string): void => {
    if (builtin.has(name) || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`module dependency cycle through ${name}`);
    const m = available.get(name);
    if (!m) throw new Error(`module ${name} (needed by ${from}) is neither in the package nor built in`);
    state.set(name, 'visiting');
    for (const d of m.depends) visit(d, name);
    state.set(name, 'done');
    order.push(name);
  };
  for (const r of roots) visit(modName(r), 'the harness');
  return order;
}

/** Module names listed in a modules.builtin file ("kernel/drivers/virtio/virtio.ko" lines). */
export function parseBuiltin(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .map(modNameOfFile),
  );
}
