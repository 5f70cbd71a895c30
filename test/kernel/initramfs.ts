/**
 * From a kernel's .debs to what QEMU boots: the kernel image, the modules the tests load (vfio,
 * vfio-pci, 9p and what they depend on, in load order) and an initramfs (busybox, an init script,
 * the modules, the C program, the job's settings).
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { check, run } from '../support/proc.js';
import { type ModInfo, loadOrder, modinfo, modNameOfFile, parseBuiltin } from './modules.js';

/** Module directories extracted from the packages (vfio, virtio transport, 9p and its helpers). */
const MODULE_DIRS = ['drivers/vfio', 'drivers/virtio', 'drivers/s390', 'arch/s390', 'fs/9p', 'fs/netfs', 'fs/fscache', 'net/9p', 'virt/lib', 'lib'];

export interface ExtractedKernel {
  dir: string;
  vmlinuz: string;
  /** Module name -> decompressed .ko path. */
  modules: Map<string, string>;
  builtin: Set<string>;
  /** `uname -r` as the package names it (the lib/modules/<release> dir). */
  release: string;
  /** The kernel's .config, when the packages ship it. */
  config?: string;
}

/** Run `dpkg-deb --fsys-tarfile deb | tar -x` of the members matching `patterns` into `into`. */
async function extractMembers(deb: string, into: string, patterns: readonly string[]): Promise<void> {
  mkdirSync(into, { recursive: true });
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  // tar exits 2 when a pattern matches nothing (a split kernel has the image in one .deb and the
  // modules in another): only those complaints are tolerated.
  const script = `set -o pipefail; dpkg-deb --fsys-tarfile ${q(deb)} | tar -x -C ${q(into)} --wildcards ${patterns.map(q).join(' ')} 2>&1 | grep -v -e 'Not found in archive' -e 'Exiting with failure status' >&2 || true`;
  await check('bash', ['-c', script]);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * The kernel image, modules.builtin and the modules of MODULE_DIRS of the kernel's packages,
 * cached under `cacheDir/extracted/<hash of the .deb hashes>` (reused when complete).
 */
export async function extractKernel(debs: readonly { path: string; sha256: string }[], cacheDir: string): Promise<ExtractedKernel> {
  const key = createHash('sha256').update(debs.map((d) => d.sha256).join(',')).digest('hex').slice(0, 16);
  const dir = join(cacheDir, 'extracted', key);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    const raw = join(dir, 'raw');
    const patterns = ['./boot/vmlinu*', './boot/config-*', '*/vmlinuz*', '*/modules/*/config', '*/modules.builtin', ...MODULE_DIRS.map((d) => `*/kernel/${d}/*`)];
    for (const d of debs) await extractMembers(d.path, raw, patterns);
    // Decompress .ko.xz (6.12 on) once, here, so the initramfs holds plain .ko files busybox insmod loads.
    const ko = join(dir, 'ko');
    mkdirSync(ko, { recursive: true });
    for (const f of walk(raw)) {
      if (/\.ko$/.test(f)) copyFileSync(f, join(ko, basename(f)));
      else if (/\.ko\.xz$/.test(f)) writeFileSync(join(ko, basename(f, '.xz')), await xzDecompress(f));
      else if (/\.ko\.(gz|zst)$/.test(f)) throw new Error(`${f}: only .ko and .ko.xz modules are handled`);
    }
    writeFileSync(done, '');
  }
  const files = walk(join(dir, 'raw'));
  const vmlinuz = files.find((f) => /\/boot\/vmlinu[xz]-/.test(f)) ?? files.find((f) => /\/modules\/[^/]+\/vmlinuz/.test(f));
  if (!vmlinuz) throw new Error(`no kernel image (boot/vmlinuz-* or lib/modules/*/vmlinuz*) in ${debs.map((d) => d.path).join(', ')}`);
  const builtinFile = files.find((f) => f.endsWith('/modules.builtin'));
  const release = /\/modules\/([^/]+)\//.exec(builtinFile ?? vmlinuz)?.[1] ?? basename(vmlinuz).replace(/^vmlinu[xz]-/, '');
  const modules = new Map<string, string>();
  const koDir = join(dir, 'ko');
  for (const f of readdirSync(koDir)) modules.set(modNameOfFile(f), join(koDir, f));
  const config = files.find((f) => /\/boot\/config-/.test(f) || /\/modules\/[^/]+\/config$/.test(f));
  return { dir, vmlinuz, modules, builtin: builtinFile ? parseBuiltin(readFileSync(builtinFile, 'utf8')) : new Set(), release, ...(config ? { config } : {}) };
}

async function xzDecompress(path: string): Promise<Buffer> {
  // xz writes binary: read it back through a temporary file rather than a utf8 pipe.
  const tmp = `${path}.raw`;
  const r = await run('bash', ['-c', `xz -dc '${path}' > '${tmp}'`]);
  if (r.status !== 0) throw new Error(`xz -dc ${path}: ${r.stderr}`);
  const buf = readFileSync(tmp);
  rmSync(tmp);
  return buf;
}

/** Load order of `roots` from the extracted modules' modinfo. */
export function moduleOrder(k: ExtractedKernel, roots: readonly string[]): string[] {
  const infos = new Map<string, ModInfo>();
  for (const [name, path] of k.modules) infos.set(name, modinfo(readFileSync(path), path));
  return loadOrder(roots, infos, k.builtin);
}

export interface InitramfsSpec {
  /** Staging directory (emptied) and the cpio written next to it. */
  dir: string;
  busybox: string;
  init: string;
  kernel: ExtractedKernel;
  modules: readonly string[];
  /** Extra files: path in the initramfs -> host file. */
  files: Record<string, string>;
  /** /etc/uapi-ts.conf: sourced by init (shell variable assignments). */
  conf: Record<string, string>;
}

/** Build a newc cpio (uncompressed: the kernel unpacks it fastest, and it is a few MB). */
export async function buildInitramfs(s: InitramfsSpec): Promise<string> {
  const root = join(s.dir, 'root');
  rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'dev', 'proc', 'sys', 'host', 'out', 'tmp', 'etc', 'modules']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(s.busybox, join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  copyFileSync(s.init, join(root, 'init'));
  chmodSync(join(root, 'init'), 0o755);
  for (const m of s.modules) copyFileSync(s.kernel.modules.get(m)!, join(root, 'modules', `${m}.ko`));
  writeFileSync(join(root, 'modules', 'order'), `${s.modules.join('\n')}\n`);
  for (const [at, from] of Object.entries(s.files)) {
    copyFileSync(from, join(root, at));
    chmodSync(join(root, at), 0o755);
  }
  const q = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
  writeFileSync(join(root, 'etc', 'uapi-ts.conf'), Object.entries(s.conf).map(([k, v]) => `${k}=${q(v)}\n`).join(''));
  const cpio = join(s.dir, 'initrd.cpio');
  await check('bash', ['-c', `cd '${root}' && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 > '${cpio}'`]);
  return cpio;
}
