/** Kernel header trees synced by `uapi-ts headers sync` (headers/<version>/include). */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const HEADERS = join(REPO, 'headers');

export interface Tree {
  /** Directory name, e.g. "6.1". */
  name: string;
  include: string;
}

function versionKey(v: string): number[] {
  return v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
}

/** Every synced kernel tree (not the `latest` alias), oldest first. */
export function kernelTrees(): Tree[] {
  if (!existsSync(HEADERS)) return [];
  return readdirSync(HEADERS, { withFileTypes: true })
    .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && /^\d+\.\d+/.test(d.name))
    .map((d) => ({ name: d.name, include: join(HEADERS, d.name, 'include') }))
    .filter((t) => existsSync(join(t.include, 'linux', 'vfio.h')))
    .sort((a, b) => {
      const x = versionKey(a.name);
      const y = versionKey(b.name);
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    });
}

/** The newest synced tree (headers/latest when present). */
export function newestTree(): Tree | undefined {
  const override = process.env.UAPI_NEWEST_TREE;
  if (override) return { name: override, include: override };
  const latest = join(HEADERS, 'latest', 'include');
  if (existsSync(join(latest, 'linux', 'vfio.h'))) {
    return { name: realpathSync(join(HEADERS, 'latest')).split('/').pop()!, include: latest };
  }
  return kernelTrees().at(-1);
}

/** In CI the trees must be there (.ci/run syncs them); elsewhere a test may skip with a reason. */
export const REQUIRE_TREES = process.env.CI === 'true' || process.env.UAPI_REQUIRE_TREES === '1';

/**
 * For `it.skipIf` / `describe.skipIf`: a test may skip for a missing tool or header tree only
 * outside CI (where `npm test` installs everything, a missing one is a failure, not a skip).
 */
export function lacking(present: boolean): boolean {
  return !present && !REQUIRE_TREES;
}

/** The reason to add to a test's title when it skips (empty when it runs). */
export function skipReason(present: boolean, what: string): string {
  return lacking(present) ? ` (skipped: ${what} is missing; \`npm test\` installs it)` : '';
}
