/** Where the real-kernel harness keeps things, from the checkout's root (found from this file, in test/kernel/ or compiled in test/kernel/dist/). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'uapi-ts-workspace') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no uapi-ts checkout above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const ROOT = findRoot();
/** test/kernel/ (sources, kernels.json, the C program, the guest programs). */
export const HERE = join(ROOT, 'test', 'kernel');
/** .debs, unpacked kernels, built C programs (git-ignored). */
export const CACHE = process.env['UAPI_KERNEL_CACHE'] ?? join(ROOT, '.cache', 'kernels');
/** One directory per boot: initramfs, console log, the programs' output (git-ignored). */
export const RUNS = join(ROOT, '.tmp', 'kernels');
/** The committed replies. */
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'kernel-replies');
