/** The eight ABIs a header tree must serve, with their Debian and kernel names. */
export interface HeaderAbi {
  /** uapi-ts ABI name. */
  abi: string;
  /** Debian multiarch triplet: the tree holds this ABI's asm/ at `<triplet>/asm/`. */
  triplet: string;
  /** Debian architecture (dpkg --print-architecture) whose linux-libc-dev carries that asm/. */
  debArch: string;
  /** Kernel source architecture: `arch/<karch>/include/uapi/asm`. */
  karch: string;
}

export const HEADER_ABIS: readonly HeaderAbi[] = [
  { abi: 'x86_64', triplet: 'x86_64-linux-gnu', debArch: 'amd64', karch: 'x86' },
  { abi: 'i386', triplet: 'i386-linux-gnu', debArch: 'i386', karch: 'x86' },
  { abi: 'aarch64', triplet: 'aarch64-linux-gnu', debArch: 'arm64', karch: 'arm64' },
  { abi: 'armhf', triplet: 'arm-linux-gnueabihf', debArch: 'armhf', karch: 'arm' },
  { abi: 's390x', triplet: 's390x-linux-gnu', debArch: 's390x', karch: 's390' },
  { abi: 'ppc64', triplet: 'powerpc64-linux-gnu', debArch: 'ppc64', karch: 'powerpc' },
  { abi: 'ppc64le', triplet: 'powerpc64le-linux-gnu', debArch: 'ppc64el', karch: 'powerpc' },
  { abi: 'riscv64', triplet: 'riscv64-linux-gnu', debArch: 'riscv64', karch: 'riscv' },
];

/** Every multiarch triplet Debian knows, so that a tree's shared dirs are told apart from arch dirs. */
export function isTripletDir(name: string): boolean {
  return /^[a-z0-9_]+-linux-gnu[a-z0-9]*$/.test(name);
}

/** The ABIs that share a kernel architecture with `abi` (their uapi asm/ comes from the same source dir). */
export function siblings(abi: HeaderAbi): HeaderAbi[] {
  return HEADER_ABIS.filter((a) => a.karch === abi.karch && a.abi !== abi.abi);
}

/** Debian suites synced by default, oldest first. */
export const SUITES = ['bullseye', 'bookworm', 'trixie', 'sid'] as const;

/** "6.1.176-1" -> "6.1.176"; "6.1.4-1cross1" -> "6.1.4"; "7.2.13-1~exp1" -> "7.2.13". */
export function upstreamVersion(debianVersion: string): string {
  const noEpoch = debianVersion.replace(/^\d+:/, '');
  const dash = noEpoch.lastIndexOf('-');
  const up = dash >= 0 ? noEpoch.slice(0, dash) : noEpoch;
  return up.replace(/[~+].*$/, '');
}

/** "6.1.176" -> "6.1": the tree's directory name. */
export function majorMinor(kernel: string): string {
  const m = /^(\d+)\.(\d+)/.exec(kernel);
  if (!m) throw new Error(`not a kernel version: ${kernel}`);
  return `${m[1]}.${m[2]}`;
}

/** Numeric ordering of version-like names ("5.10" < "6.1" < "6.12"); non-numeric names sort after. */
export function compareVersionNames(a: string, b: string): number {
  const key = (v: string): number[] => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : Number.MAX_SAFE_INTEGER));
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
