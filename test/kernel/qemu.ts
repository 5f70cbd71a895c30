/**
 * QEMU under TCG (no /dev/kvm needed): the machine lines the real-kernel tests boot, and a boot
 * that waits for the guest to power off (or kills it after a timeout) and reads what it said.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface BootSpec {
  arch: 'x86_64' | 's390x';
  kernel: string;
  initrd: string;
  serialLog: string;
  /** Host dir shared read-write as 9p tag "out", and the host's / read-only as tag "host" (x86_64). */
  outDir?: string;
  timeoutMs: number;
  /** Keep the kernel's boot messages on the console (default: quiet). */
  verbose?: boolean;
  /** The QEMU binary (default qemu-system-x86_64 / qemu-system-s390x on PATH, or $UAPI_QEMU_X86_64 / $UAPI_QEMU_S390X). */
  qemu?: string;
}

/** The QEMU command line for a boot. */
export function machineLine(b: BootSpec): { command: string; args: string[] } {
  const common = ['-accel', 'tcg', '-smp', '1', '-m', '1024', '-nodefaults', '-display', 'none', '-no-reboot', '-serial', `file:${b.serialLog}`];
  const quiet = b.verbose ? '' : ' quiet';
  if (b.arch === 'x86_64') {
    const share = b.outDir
      ? [
          '-virtfs', 'local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap',
          '-virtfs', `local,path=${b.outDir},mount_tag=out,security_model=none`,
        ]
      : [];
    return {
      command: b.qemu ?? process.env['UAPI_QEMU_X86_64'] ?? 'qemu-system-x86_64',
      args: [
        '-machine', 'q35,kernel-irqchip=split', '-cpu', 'max', ...common,
        '-device', 'intel-iommu,intremap=on',
        '-device', 'pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x4',
        '-device', 'e1000e,bus=rp1',
        '-device', 'edu,bus=pcie.0,addr=0x5',
        ...share,
        '-kernel', b.kernel, '-initrd', b.initrd,
        // no_timer_check: under TCG on a busy host the IO-APIC timer test can miss its ticks, and
        // with interrupt remapping on the kernel then panics ("timer doesn't work through
        // Interrupt-remapped IO-APIC") instead of falling back.
        '-append', `console=ttyS0 intel_iommu=on panic=-1 no_timer_check${quiet}`,
      ],
    };
  }
  return {
    command: b.qemu ?? process.env['UAPI_QEMU_S390X'] ?? 'qemu-system-s390x',
    args: [
      '-machine', 's390-ccw-virtio', '-cpu', 'max', ...common,
      '-device', 'zpci,uid=1,fid=1,target=n0',
      '-device', 'virtio-net-pci,id=n0,disable-legacy=on',
      '-kernel', b.kernel, '-initrd', b.initrd,
      '-append', `console=ttysclp0 panic=-1${quiet}`,
    ],
  };
}

export interface BootResult {
  /** QEMU's exit status (null when killed). */
  status: number | null;
  timedOut: boolean;
  ms: number;
  serial: string;
  stderr: string;
  /** The "UAPI-TS:" lines the init script printed. */
  lines: string[];
  /** Files printed between "file-begin NAME" and "file-end NAME" (no 9p share). */
  files: Record<string, string>;
  /** Guest uptime (s) at each "t=<uptime> <stage>" stamp. */
  stamps: Record<string, number>;
  command: string;
}

/** Boot, wait for power-off (QEMU exits: -no-reboot), return what the console said. */
export function boot(b: BootSpec): Promise<BootResult> {
  const { command, args } = machineLine(b);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, b.timeoutMs);
    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      const serial = existsSync(b.serialLog) ? readFileSync(b.serialLog, 'latin1') : '';
      const stderr = Buffer.concat(err).toString('utf8') + (spawnError ? `\n${spawnError.message}` : '');
      resolve({ status: spawnError ? null : status, timedOut, ms: Date.now() - started, serial, stderr, ...parseConsole(serial), command: [command, ...args].join(' ') });
    });
  });
}

/** The harness's lines, files and stamps out of a console log. */
export function parseConsole(serial: string): Pick<BootResult, 'lines' | 'files' | 'stamps'> {
  const lines: string[] = [];
  const files: Record<string, string> = {};
  const stamps: Record<string, number> = {};
  let file: string | undefined;
  let body: string[] = [];
  for (const raw of serial.split(/\r?\n/)) {
    const m = /UAPI-TS: (.*)$/.exec(raw);
    if (file !== undefined) {
      if (m && m[1] === `file-end ${file}`) {
        files[file] = body.join('\n');
        file = undefined;
      } else body.push(raw);
      continue;
    }
    if (!m) continue;
    const line = m[1]!;
    lines.push(line);
    const begin = /^file-begin (\S+)$/.exec(line);
    if (begin) {
      file = begin[1]!;
      body = [];
    }
    const st = /^t=([\d.]+) (.+)$/.exec(line);
    if (st) stamps[st[2]!] = Number(st[1]);
  }
  return { lines, files, stamps };
}
