/**
 * What `npm pack` puts in each publishable package, read from `npm pack --dry-run --json` (no
 * tarball written, no lifecycle scripts: the packages are built by the type-check step first):
 * README and LICENSE, no tsc build info, every `exports`/`bin` target present, `types` first in
 * every condition set, every source map's sources shipped, and the metadata a registry user needs.
 * The install test (install.test.ts) then installs the real tarballs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../support/proc.js';
import { REPO } from '../support/trees.js';
import { PACKAGES, exportTargets } from './packages.js';

interface PackJson {
  name: string;
  files: { path: string }[];
}

async function packList(dir: string): Promise<string[]> {
  const out = await check('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(REPO, dir) });
  const [j] = JSON.parse(out) as PackJson[];
  return j!.files.map((f) => f.path).sort();
}

describe.each(PACKAGES)('npm pack of $name ($dir)', ({ name, dir }) => {
  const pkg = JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Record<string, any>;
  let listed: Promise<string[]> | undefined;
  const files = (): Promise<string[]> => (listed ??= packList(dir));

  it('has the metadata of a published package', () => {
    expect(pkg.name).toBe(name);
    expect(pkg.type).toBe('module');
    expect(pkg.license).toBe('MIT');
    expect(pkg.engines).toEqual({ node: '>=20.19' });
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\//), directory: dir });
    expect(pkg.scripts?.prepack).toMatch(/^tsc /);
    expect(pkg.private).toBeUndefined();
  });

  it('ships README.md, LICENSE, and dist without tsc build info', async () => {
    const f = await files();
    expect(f).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    expect(f.filter((p) => p.includes('tsbuildinfo'))).toEqual([]);
    expect(f.some((p) => p.startsWith('dist/') && p.endsWith('.js'))).toBe(true);
    expect(f.filter((p) => /(^|\/)(test|node_modules)\//.test(p))).toEqual([]);
  });

  it('ships every exports and bin target, with types first in every condition set', async () => {
    const f = new Set(await files());
    const targets = exportTargets(pkg);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(f, t).toContain(t.replace(/^\.\//, ''));
    for (const b of Object.values((pkg.bin ?? {}) as Record<string, string>)) expect(f).toContain(b.replace(/^\.\//, ''));
    const conds = Object.values(pkg.exports as Record<string, unknown>).filter((v): v is Record<string, string> => typeof v === 'object' && v !== null);
    for (const c of conds) expect(Object.keys(c)[0]).toBe('types');
  });

  it("ships the sources its source maps and declaration maps point at", async () => {
    const f = await files();
    const shipped = new Set(f);
    const maps = f.filter((p) => p.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const m of maps) {
      const { sources } = JSON.parse(readFileSync(join(REPO, dir, m), 'utf8')) as { sources: string[] };
      for (const s of sources) expect(shipped, `${m} -> ${s}`).toContain(join(m, '..', s));
    }
  });
});
