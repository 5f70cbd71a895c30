/**
 * The real-kernel harness: for each kernel, fetch (kernels.ts), unpack and build an initramfs
 * (initramfs.ts) with the C program built against that kernel's headers, boot it under QEMU
 * (qemu.ts) with e1000e and edu (x86_64) or a zPCI virtio-net (s390x) bound to vfio-pci, and
 * collect what the programs printed. Only files and processes; the checks are in checks.ts.
 *
 * Environment:
 *   UAPI_KERNELS=6.1,sid         run only these series (default: all of SERIES, plus the local ones below)
 *   UAPI_KERNEL_DEB=a.deb[,b.deb] also boot a local kernel package (image, and modules if split): series "deb"
 *   UAPI_KERNEL_IMAGE=bzImage     also boot a local kernel image: series "local"; its modules from
 *   UAPI_KERNEL_MODULES=dir       (a lib/modules/<release> dir), else vfio and 9p must be built in
 *   UAPI_KERNEL_HEADERS=name      header tree (headers/<name>) for those two (default: latest)
 *   UAPI_KERNELS_UPDATE=1         re-pin every series to the newest build (rewrites kernels.json)
 *   UAPI_KERNEL_JOBS=n            boots at once (default 2)
 *   UAPI_KERNEL_CACHE=dir         cache of .debs and unpacked kernels (default .cache/kernels)
 *   UAPI_KERNEL_VERBOSE=1         keep the kernel's boot messages on the console
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { check, run } from '../support/proc.js';
import type { EduDriverReport, ProbeReport } from './guest/report.js';
import { type ExtractedKernel, buildInitramfs, extractKernel, moduleOrder } from './initramfs.js';
import { type KernelPin, type KernelPins, type Obtained, type SeriesSpec, SERIES, obtain, readPins, writePins } from './kernels.js';
import { modNameOfFile, parseBuiltin } from './modules.js';
import { CACHE, HERE, ROOT, RUNS } from './paths.js';
import { type BootResult, boot } from './qemu.js';


/** What one arch's guest binds and loads. */
const GUEST = {
  x86_64: {
    // e1000e (behind a PCIe root port) and edu (on the root bus), each its own IOMMU group
    devices: ['8086:10d3', '1234:11e8'],
    edu: '1234:11e8',
    modules: ['vfio_iommu_type1', 'vfio_pci', 'virtio_pci', '9pnet_virtio', '9p'],
    gcc: 'gcc',
    triplet: 'x86_64-linux-gnu',
  },
  s390x: {
    // virtio-net (modern) as a zPCI function
    devices: ['1af4:1041'],
    edu: '',
    modules: ['vfio_iommu_type1', 'vfio_pci'],
    gcc: 's390x-linux-gnu-gcc',
    triplet: 's390x-linux-gnu',
  },
} as const;

export interface KernelRun {
  series: string;
  arch: 'x86_64' | 's390x';
  /** Where the kernel came from: a pin (with drift, if any) or a local file. */
  pin?: KernelPin;
  drift?: string;
  source: string;
  headers: string;
  release?: string;
  modules?: string[];
  boot?: BootResult;
  c?: ProbeReport;
  ts?: ProbeReport;
  edu?: EduDriverReport;
  /** The run failed before or during boot: why. */
  error?: string;
  /** Wall time of each phase, ms. */
  times: Record<string, number>;
  /** Set when the first boot died before init and the kernel was booted again: why. */
  retried?: string;
  /** Kernel options the tests depend on, from the package's config ("y", "m", "n" = not set). */
  config?: Record<string, string>;
}

/** Options worth stating for each kernel: the container path vs iommufd, no-IOMMU mode, 9p, zPCI.
 *  "n": "# ... is not set"; "-": the option does not exist in this kernel's config. */
const CONFIG_KEYS = ['CONFIG_VFIO_CONTAINER', 'CONFIG_VFIO_GROUP', 'CONFIG_VFIO_NOIOMMU', 'CONFIG_IOMMUFD', 'CONFIG_VFIO_DEVICE_CDEV', 'CONFIG_VFIO_PCI_ZDEV_KVM', 'CONFIG_9P_FS', 'CONFIG_VIRTIO_PCI'];

function configFacts(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  const out: Record<string, string> = {};
  for (const k of CONFIG_KEYS) out[k] = new RegExp(`^${k}=(\\S+)$`, 'm').exec(text)?.[1] ?? (text.includes(`# ${k} is not set`) ? 'n' : '-');
  return out;
}

/** One kernel to run: a series of SERIES, or a local package or image. */
interface Target {
  series: string;
  arch: 'x86_64' | 's390x';
  headers: string;
  spec?: SeriesSpec;
  localDebs?: string[];
  localImage?: { image: string; modules?: string };
}

export function targets(env = process.env): Target[] {
  const only = env['UAPI_KERNELS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const out: Target[] = SERIES.map((s) => ({ series: s.name, arch: s.arch, headers: s.headers, spec: s }));
  const headers = env['UAPI_KERNEL_HEADERS'] ?? 'latest';
  if (env['UAPI_KERNEL_DEB']) out.push({ series: 'deb', arch: 'x86_64', headers, localDebs: env['UAPI_KERNEL_DEB'].split(',').map((p) => resolve(p)) });
  if (env['UAPI_KERNEL_IMAGE']) {
    const modules = env['UAPI_KERNEL_MODULES'];
    out.push({ series: 'local', arch: 'x86_64', headers, localImage: { image: resolve(env['UAPI_KERNEL_IMAGE']), ...(modules ? { modules: resolve(modules) } : {}) } });
  }
  return only ? out.filter((t) => only.includes(t.series)) : out;
}

const sha256File = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

/** True for an ELF executable without a PT_INTERP (static): what runs as the initramfs's busybox. */
function isStaticElf(path: string): boolean {
  const b = readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const phoff = is64 ? Number(le ? b.readBigUInt64LE(0x20) : b.readBigUInt64BE(0x20)) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) if (u32(phoff + i * phentsize) === 3) return false;
  return true;
}

/** The guest's TypeScript programs (and this harness, compiled for its CLI): tsc -b, incremental. */
export async function buildPrograms(): Promise<void> {
  await check(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', HERE]);
}

async function buildC(t: Target): Promise<string> {
  const g = GUEST[t.arch];
  const inc = join(ROOT, 'headers', t.headers, 'include');
  if (!existsSync(join(inc, 'linux', 'vfio.h'))) throw new Error(`no header tree headers/${t.headers} (run: npm run setup, or node generator/bin/uapi-ts.js headers sync)`);
  const out = join(CACHE, 'build', `vfio-probe-${t.arch}-${t.headers}`);
  mkdirSync(join(CACHE, 'build'), { recursive: true });
  await check(g.gcc, ['-static', '-O2', '-Wall', '-Wextra', '-Werror', '-I', join(inc, g.triplet), '-I', inc, '-o', out, join(HERE, 'c', 'vfio-probe.c')]);
  return out;
}

/** A local kernel image and its modules dir, laid out like an extracted package. */
async function localKernel(image: string, modulesDir: string | undefined): Promise<ExtractedKernel> {
  const modules = new Map<string, string>();
  let builtin = new Set<string>();
  if (modulesDir) {
    const koDir = join(CACHE, 'local-ko', createHash('sha256').update(modulesDir).digest('hex').slice(0, 12));
    mkdirSync(koDir, { recursive: true });
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const f of walk(modulesDir)) {
      if (/\.ko$/.test(f)) modules.set(modNameOfFile(f), f);
      else if (/\.ko\.xz$/.test(f)) {
        const to = join(koDir, basename(f, '.xz'));
        if (!existsSync(to)) {
          const r = await run('bash', ['-c', `xz -dc '${f}' > '${to}'`]);
          if (r.status !== 0) throw new Error(`xz -dc ${f}: ${r.stderr}`);
        }
        modules.set(modNameOfFile(f), to);
      }
    }
    const bf = join(modulesDir, 'modules.builtin');
    if (existsSync(bf)) builtin = parseBuiltin(readFileSync(bf, 'utf8'));
  }
  return { dir: modulesDir ?? '', vmlinuz: image, modules, builtin, release: basename(modulesDir ?? image) };
}

let pins: KernelPins | undefined;

/** Fetch (sync apt helpers: seconds each, cached afterwards) and unpack one target's kernel. */
async function prepareKernel(t: Target, run_: KernelRun, busyboxFor: Map<string, string>): Promise<ExtractedKernel> {
  if (t.spec) {
    // One pins object for the whole process: boots prepare concurrently, and re-pinning must not
    // lose another series' update.
    pins ??= readPins();
    const update = process.env['UAPI_KERNELS_UPDATE'] === '1';
    const got: Obtained = await obtain(t.spec, pins, CACHE, update);
    if (update) writePins(pins);
    run_.pin = got.pin;
    if (got.drift) run_.drift = got.drift;
    run_.source = got.pin.packages.map((p) => `${p.name} ${p.version}`).join(' + ');
    const kernelDebs = got.debs.map((path, i) => ({ path, sha256: got.pin.packages[i]!.sha256, name: got.pin.packages[i]!.name }));
    const bb = kernelDebs.find((d) => d.name === 'busybox-static');
    if (bb) {
      const dir = join(CACHE, 'busybox', bb.sha256.slice(0, 16));
      const bin = join(dir, 'busybox');
      if (!existsSync(bin)) {
        mkdirSync(dir, { recursive: true });
        // ./bin/busybox before trixie, ./usr/bin/busybox (merged /usr) from trixie on
        await check('bash', ['-c', `dpkg-deb --fsys-tarfile '${bb.path}' | tar -xO --wildcards '*bin/busybox' > '${bin}.part' && mv '${bin}.part' '${bin}'`]);
      }
      busyboxFor.set(t.series, bin);
    }
    return extractKernel(kernelDebs.filter((d) => d.name !== 'busybox-static'), CACHE);
  }
  if (t.localDebs) {
    run_.source = t.localDebs.join(' + ');
    return extractKernel(t.localDebs.map((path) => ({ path, sha256: sha256File(path) })), CACHE);
  }
  const li = t.localImage!;
  run_.source = li.image + (li.modules ? ` (modules ${li.modules})` : ' (vfio, vfio-pci, 9p built in)');
  return localKernel(li.image, li.modules);
}

async function runOne(t: Target, timeoutMs: number): Promise<KernelRun> {
  const r: KernelRun = { series: t.series, arch: t.arch, source: '', headers: t.headers, times: {} };
  const lap = (name: string, since: number): void => {
    r.times[name] = Date.now() - since;
  };
  try {
    let at = Date.now();
    const busyboxFor = new Map<string, string>();
    const k = await prepareKernel(t, r, busyboxFor);
    lap('fetch+unpack', at);
    r.release = k.release;
    if (k.config) r.config = configFacts(k.config);
    at = Date.now();
    const g = GUEST[t.arch];
    const roots = t.localImage && !t.localImage.modules ? [] : [...g.modules];
    const modules = moduleOrder(k, roots);
    r.modules = modules;
    const probe = await buildC(t);
    const busybox = busyboxFor.get(t.series) ?? '/bin/busybox';
    if (!existsSync(busybox) || !isStaticElf(busybox)) throw new Error(`${busybox} is not a static binary: install busybox-static (apt-get install busybox-static)`);
    const dir = join(RUNS, t.series);
    rmSync(dir, { recursive: true, force: true });
    const out = join(dir, 'out');
    mkdirSync(out, { recursive: true });
    const withNode = t.arch === 'x86_64';
    const initrd = await buildInitramfs({
      dir,
      busybox,
      init: join(HERE, 'guest', 'init.sh'),
      kernel: k,
      modules,
      files: { 'bin/vfio-probe': probe },
      conf: {
        DEVICES: g.devices.join(' '),
        EDU: g.edu,
        OUT: withNode ? out : '',
        NODE: process.execPath,
        RUNJS: withNode ? join(HERE, 'guest', 'dist', 'run.js') : '',
      },
    });
    lap('initramfs', at);
    at = Date.now();
    const spec = {
      arch: t.arch,
      kernel: k.vmlinuz,
      initrd,
      serialLog: join(dir, 'serial.log'),
      ...(withNode ? { outDir: out } : {}),
      timeoutMs,
      verbose: process.env['UAPI_KERNEL_VERBOSE'] === '1',
    };
    let b = await boot(spec);
    // A kernel that died before running init (a panic while booting under TCG on a loaded
    // machine) gets one more boot; the first one's console is kept and reported.
    if (!b.lines.some((l) => l.endsWith(' init')) && !b.timedOut && b.status !== null) {
      r.retried = `first boot never reached init (${/Kernel panic[^\n]*/.exec(b.serial)?.[0] ?? `QEMU status ${b.status}`}); booted again`;
      renameSync(spec.serialLog, `${spec.serialLog}.first`);
      b = await boot(spec);
    }
    lap('boot', at);
    r.boot = b;
    const file = (name: string): string | undefined => {
      const p = join(out, name);
      if (existsSync(p) && statSync(p).size > 0) return readFileSync(p, 'utf8');
      return b.files[name];
    };
    const parse = <T>(name: string): T | undefined => {
      const text = file(name);
      if (text === undefined || text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as T;
      } catch (e) {
        throw new Error(`${name} from the guest is not JSON (${(e as Error).message}): ${text.slice(0, 300)}`);
      }
    };
    const c = parse<ProbeReport>('c.json');
    const ts = parse<ProbeReport>('ts.json');
    const edu = parse<EduDriverReport>('edu.json');
    if (c) r.c = c;
    if (ts) r.ts = ts;
    if (edu) r.edu = edu;
    if (!c) r.error = bootFailure(b, ['c.err', 'ts.err'].map((n) => file(n) ?? '').join(''));
  } catch (e) {
    r.error = (e as Error).message;
  }
  return r;
}

/** Why a boot produced no C report: QEMU's own complaint, or the console's last lines. */
export function bootFailure(b: BootResult, programErrors: string): string {
  const tail = b.serial.split('\n').slice(-25).join('\n');
  const why = b.timedOut
    ? `QEMU did not power off within the timeout (killed after ${b.ms} ms)`
    : b.status === null
      ? `QEMU could not be started (${b.command.split(' ')[0]})`
      : `QEMU exited with status ${b.status} after ${b.ms} ms`;
  const missing = /ENOENT|not found/.test(b.stderr) ? ' (QEMU is not installed: apt-get install qemu-system-x86 qemu-system-misc, or run scripts/setup.sh --apt as root)' : '';
  return `${why}${missing}; no report from the C program.\ncommand: ${b.command}\nqemu stderr: ${b.stderr.trim() || '(empty)'}\nprogram stderr: ${programErrors.trim() || '(empty)'}\nconsole (last lines):\n${tail}`;
}

/** Fetch and unpack every target's kernel (no boot): what scripts/setup.sh --kernels runs. */
export async function fetchAll(): Promise<{ series: string; source: string; drift?: string; error?: string }[]> {
  const out: { series: string; source: string; drift?: string; error?: string }[] = [];
  for (const t of targets()) {
    const r: KernelRun = { series: t.series, arch: t.arch, source: '', headers: t.headers, times: {} };
    try {
      await prepareKernel(t, r, new Map());
      out.push({ series: t.series, source: r.source, ...(r.drift ? { drift: r.drift } : {}) });
    } catch (e) {
      out.push({ series: t.series, source: r.source, error: (e as Error).message });
    }
  }
  return out;
}

/** Run every target, at most `jobs` QEMUs at once. */
export async function runAll(opts: { jobs?: number; timeoutMs?: number } = {}): Promise<KernelRun[]> {
  const jobs = opts.jobs ?? Number(process.env['UAPI_KERNEL_JOBS'] ?? 2);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  await buildPrograms();
  const list = targets();
  const results: KernelRun[] = new Array(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      results[i] = await runOne(list[i]!, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, list.length)) }, worker));
  return results;
}
