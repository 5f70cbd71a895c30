/**
 * A second copy of the built runtime (dist + src, as the package ships them) in a fresh temporary
 * directory: imported from there it is another module graph, as a nested
 * node_modules/@uapi-ts/runtime is, and nothing of the workspace's node_modules (koffi) is reachable.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Runtime from '../../src/index.js';

export interface RuntimeCopy {
  dir: string;
  runtime: typeof Runtime;
  remove(): void;
}

export async function runtimeCopy(): Promise<RuntimeCopy> {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-runtime-copy-'));
  for (const d of ['dist', 'src']) cpSync(new URL(`../../${d}`, import.meta.url), join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const runtime = (await import(pathToFileURL(join(dir, 'dist', 'index.js')).href)) as typeof Runtime;
  return { dir, runtime, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
