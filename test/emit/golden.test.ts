/**
 * Golden files: the generated package for a small fixture header (bitfields, unions, anonymous
 * members, arrays, a counted flexible array, a cap chain, enums, an ioctl). UAPI_TS_UPDATE_GOLDEN=1
 * rewrites them. Also: generating twice is byte-identical, and the committed generated/vfio is fresh.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitPackage } from '../../generator/src/emit/emit.js';
import { buildModel } from '../../generator/src/emit/model/index.js';
import { analyzeHeader } from '../../generator/src/cli/load.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { check } from '../support/proc.js';
import { COMMITTED_PACKAGES } from '../support/packages.js';
import { lacking, REPO, skipReason } from '../support/trees.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'emit');
const GOLDEN = join(FIXTURE, 'golden');
const UPDATE = process.env.UAPI_TS_UPDATE_GOLDEN === '1';

function generateFixture(): Map<string, string> {
  const analyses = analyzeHeader('linux/fixture.h', [join(FIXTURE, 'include')], ABIS);
  const model = buildModel({ header: 'linux/fixture.h', analyses });
  const files = emitPackage(model, { packageName: '@uapi-ts/fixture', kernel: '0.0', sha256: '0'.repeat(64), runtimeVersion: '0.1.0' });
  // Without a workspace the package is self-contained: its tsconfig.json and package.json are goldens too.
  return files;
}

function listGolden(dir: string, rel = ''): string[] {
  if (!existsSync(join(dir, rel))) return [];
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listGolden(dir, rel ? `${rel}/${e.name}` : e.name) : [rel ? `${rel}/${e.name}` : e.name]));
}

describe('emit golden files', () => {
  const files = generateFixture();

  it('matches test/fixtures/emit/golden (UAPI_TS_UPDATE_GOLDEN=1 to update)', () => {
    if (UPDATE) {
      for (const [p, c] of files) {
        mkdirSync(dirname(join(GOLDEN, p)), { recursive: true });
        writeFileSync(join(GOLDEN, p), c);
      }
    }
    expect(listGolden(GOLDEN).sort()).toEqual([...files.keys()].sort());
    for (const [p, c] of files) expect(c, p).toBe(readFileSync(join(GOLDEN, p), 'utf8'));
  });

  it('type-checks with tsc (strict, noUncheckedIndexedAccess, NodeNext)', async () => {
    const src = join(GOLDEN, 'src');
    const inputs = [...listGolden(src).filter((p) => p.endsWith('.ts')).map((p) => join(src, p))];
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    await check(process.execPath, [tsc, '--noEmit', '--strict', '--noUncheckedIndexedAccess', '--noImplicitOverride', '--verbatimModuleSyntax', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', ...inputs], { cwd: REPO });
  });

  it('is deterministic across fresh processes (another cwd, TZ, locale and hash seed)', async () => {
    // Two separate `uapi-ts generate` runs: nothing cached in one process can hide an order or a
    // value that depends on the run (Map order, Date, locale-sensitive sorting, the environment).
    const bin = join(REPO, 'generator', 'bin', 'uapi-ts.js');
    const outs: Map<string, string>[] = [];
    for (const [i, env] of [{ TZ: 'UTC', LANG: 'C' }, { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }].entries()) {
      const dir = mkdtempSync(join(tmpdir(), `uapi-ts-determinism-${i}-`));
      try {
        await check(process.execPath, [`--hash-seed=${1234 + i * 7919}`, bin, 'generate', 'linux/fixture.h', '-I', join(FIXTURE, 'include'), '--out', join(dir, 'pkg'), '--quiet'], { cwd: i === 0 ? REPO : dir, env: { ...process.env, ...env } });
        outs.push(new Map(listGolden(join(dir, 'pkg')).map((p) => [p, readFileSync(join(dir, 'pkg', p), 'utf8')])));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(outs[0]!.size).toBeGreaterThan(5);
    expect([...outs[1]!.entries()]).toEqual([...outs[0]!.entries()]);
  });

  it('infers the cap chain, the counted flexible array and the ioctl argument', () => {
    const meta = files.get('src/meta.ts')!.replace(/\s+/g, ' ');
    expect(meta).toContain("fix_info: { capsFlag: 'FIX_INFO_FLAG_CAPS'");
    expect(meta).toContain("{ id: 1, macro: 'FIX_INFO_CAP_RANGES', struct: 'fix_info_cap_ranges', versions: [1] }");
    expect(meta).toContain("{ id: 2, macro: 'FIX_INFO_CAP_MARKER', struct: null, versions: [1] }");
    expect(meta).toContain("FIX_GET_INFO: { dir: '_IOWR', arg: 'fix_info' }");
    expect(files.get('src/layouts.ts')).toContain('countedBy: "nr"');
    expect(files.get('src/views.ts')).toContain('@generated from struct fix_info (fixture.h:');
  });
});

const haveTree = existsSync(join(REPO, 'headers', 'latest', 'include', 'linux', 'vfio.h'));
for (const pkg of COMMITTED_PACKAGES) {
  const rel = relative(REPO, pkg.dir);
  describe.skipIf(lacking(haveTree))(`${rel}${skipReason(haveTree, 'headers/')}`, () => {
    it('is what `uapi-ts generate --check` expects (regenerating is byte-identical)', async () => {
      const out = await check(process.execPath, [join(REPO, 'generator', 'src', '..', 'bin', 'uapi-ts.js'), 'generate', ...pkg.headers, '-I', join(REPO, 'headers', 'latest', 'include'), '--out', pkg.dir, '--check']);
      expect(out).toContain('up to date');
    });

    it('is generated and checked by the root package.json scripts from the same headers', () => {
      const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
      const command = `node generator/bin/uapi-ts.js generate ${pkg.headers.join(' ')} -I headers/latest/include --out ${rel}`;
      expect(scripts['generate']).toContain(command);
      expect(scripts['check:generated']).toContain(`${command} --check`);
      const tables = JSON.parse(readFileSync(join(pkg.dir, 'tables.json'), 'utf8')) as { headers: { header: string; sha256: string }[] };
      expect(tables.headers.map((h) => h.header)).toEqual(pkg.headers);
    });
  });
}
