/**
 * The three packages as a user gets them: `npm pack` of each (its prepack builds it), installed
 * together from the tarballs in an app in a temporary directory outside the checkout (with
 * @types/node; no koffi), then:
 * - a consumer (consumer.ts) compiled with `tsc --strict` in six configurations: NodeNext, bundler
 *   and a CommonJS app that require()s the packages, each with TypeScript 5.9.3 (the workspace's)
 *   and 7.0.2 (what `npm install typescript` gives today: the native compiler, under the
 *   `typescript` name), and run (it imports every exported subpath);
 * - the installed `uapi-ts` on a header (layout, diff, history, generate, headers sync into $XDG_CACHE_HOME) and
 *   `decode` on the consumer's reply with its default tables (the installed @uapi-ts/vfio), writing
 *   nothing into node_modules; the same decode from `npm install -g` outside any project;
 * - publint (--strict) and attw (--profile esm-only) on every tarball: nothing reported;
 * - two copies of the runtime in one tree (an app on 0.2.x, a library on a repacked 0.2.99):
 *   `instanceof` fails across them, the guards do not, and the bindings use the app's copy.
 * npm's cache and the TypeScript 7 install are kept under .cache/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Ran } from '../support/proc.js';
import { lacking, REPO, skipReason } from '../support/trees.js';
import { consumerFiles, consumerTsconfig, readmeCode, type Flavor } from './consumer.js';
import { PACKAGES, exportedSubpaths } from './packages.js';

const CACHE = join(REPO, '.cache', 'packaging');
const NPM_CACHE = join(REPO, '.cache', 'npm');
const TS7 = '7.0.2';
const TYPES_NODE = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['@types/node']!;
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--cache', NPM_CACHE, '--loglevel', 'error'];
const CONFIGS = ['nodenext', 'bundler', 'cjs'] as const;

const online = (await run('npm', ['ping', '--fetch-timeout', '15000', '--fetch-retries', '0'])).status === 0;

async function ok(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  const r = await run(command, args, { cwd, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}): exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Every file under `dir` with its mtime, to see that a command wrote nothing there. */
function snapshot(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(lacking(online))(`packages installed from their tarballs outside the checkout${skipReason(online, 'the npm registry')}`, () => {
  let work: string;
  let app: string;
  let specifiers: string[] = [];
  const tarballs = new Map<string, string>();
  const tsc = { '5.9.3': join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), [TS7]: join(CACHE, `typescript-${TS7}`, 'node_modules', 'typescript', 'bin', 'tsc') };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'uapi-ts-packaging-'));
    const packs = join(work, 'tarballs');
    mkdirSync(packs);
    for (const p of PACKAGES) {
      const r = await ok('npm', ['pack', '--json', '--pack-destination', packs, '--loglevel', 'error'], join(REPO, p.dir));
      const [j] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string }[];
      tarballs.set(p.name, join(packs, j!.filename));
    }
    // TypeScript 7 (the native compiler) once into the cache; 5.9.3 is the workspace's.
    const ts7 = join(CACHE, `typescript-${TS7}`);
    if (!existsSync(tsc[TS7])) {
      mkdirSync(ts7, { recursive: true });
      writeFileSync(join(ts7, 'package.json'), '{"private":true}\n');
      await ok('npm', ['install', ...NPM_FLAGS, `typescript@${TS7}`], ts7);
    }
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }, null, 2));
    await ok('npm', ['install', ...NPM_FLAGS, ...tarballs.values(), `@types/node@${TYPES_NODE}`], app);
    specifiers = PACKAGES.flatMap((p) => {
      const pkg = JSON.parse(readFileSync(join(REPO, p.dir, 'package.json'), 'utf8')) as { exports: unknown };
      return exportedSubpaths(pkg).map((s) => (s === '.' ? p.name : `${p.name}/${s.slice(2)}`));
    });
    const readmes = { 'readme-runtime.ts': readmeCode(readFileSync(join(REPO, 'runtime', 'README.md'), 'utf8')), 'readme-vfio.ts': readmeCode(readFileSync(join(REPO, 'generated', 'vfio', 'README.md'), 'utf8')) };
    for (const flavor of ['esm', 'cjs'] as Flavor[]) {
      const dir = join(app, flavor);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: flavor === 'esm' ? 'module' : 'commonjs' }));
      for (const [n, text] of consumerFiles(specifiers, flavor, readmes)) writeFileSync(join(dir, n), text);
    }
    writeFileSync(join(app, 'esm', 'tsconfig.nodenext.json'), consumerTsconfig('nodenext'));
    writeFileSync(join(app, 'esm', 'tsconfig.bundler.json'), consumerTsconfig('bundler'));
    writeFileSync(join(app, 'cjs', 'tsconfig.cjs.json'), consumerTsconfig('cjs'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs one runtime, without koffi, and the bindings take it as a peer', () => {
    const nm = join(app, 'node_modules');
    expect(existsSync(join(nm, '@uapi-ts', 'runtime', 'dist', 'codegen-v1.js'))).toBe(true);
    expect(existsSync(join(nm, '@uapi-ts', 'vfio', 'node_modules'))).toBe(false);
    expect(existsSync(join(nm, 'uapi-ts', 'node_modules', '@uapi-ts'))).toBe(false);
    expect(existsSync(join(nm, 'koffi'))).toBe(false);
    expect(existsSync(join(nm, '@uapi-ts', 'runtime', 'dist', '.tsbuildinfo'))).toBe(false);
  });

  const cases = Object.keys(tsc).flatMap((ts) => CONFIGS.map((config) => ({ ts, config })));
  it.each(cases)('compiles the consumer with tsc $ts --strict ($config) and runs it', async ({ ts, config }) => {
    const dir = join(app, config === 'cjs' ? 'cjs' : 'esm');
    const outDir = `out-${ts}-${config}`;
    const args = [tsc[ts as keyof typeof tsc], '-p', `tsconfig.${config}.json`, ...(config === 'bundler' ? [] : ['--outDir', outDir])];
    await ok(process.execPath, args, dir);
    if (config === 'bundler') return;
    const r = await ok(process.execPath, [join(outDir, 'consumer.js'), join(app, `reply-${ts}-${config}.bin`)], dir);
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!) as Record<string, unknown> & { loaded: Record<string, number> };
    // Every exported subpath loaded and exports something.
    expect(specifiers.length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(result.loaded).sort()).toEqual([...specifiers].sort());
    for (const [spec, n] of Object.entries(result.loaded)) expect(n, spec).toBeGreaterThan(0);
    expect(result).toMatchObject({ header: 'linux/vfio.h', caps: true, outOfBounds: true, guardIsFunction: true, library: true, transport: 'TransportUnavailableError', codegen: [1] });
    // The README examples ran too (their first lines of output).
    expect(r.stdout).toContain('[ [ 1, 1, 16, 16 ] ]');
  });

  it('runs the installed uapi-ts on a header from another directory, writing nothing into node_modules', async () => {
    const bin = join(app, 'node_modules', '.bin', 'uapi-ts');
    const include = join(REPO, 'test', 'fixtures', 'emit', 'include');
    const before = snapshot(join(app, 'node_modules'));
    const cache = join(work, 'xdg-cache');
    const env = { XDG_CACHE_HOME: cache, UAPI_HEADERS_DIR: '' };
    const layout = await ok(bin, ['layout', 'linux/fixture.h', '-I', include, '--abi', 's390x', '--format', 'json'], work, env);
    expect(JSON.parse(layout.stdout)).toMatchObject({ header: 'linux/fixture.h' });
    const diff = await ok(bin, ['diff', 'linux/fixture.h', '--from', include, '--to', include, '--format', 'json'], work, env);
    expect(JSON.parse(diff.stdout)).toMatchObject({ header: 'linux/fixture.h', exit: 0 });
    const history = await ok(bin, ['history', 'linux/fixture.h', '--tree', include, '--format', 'json'], work, env);
    expect(JSON.parse(history.stdout)).toMatchObject({ header: 'linux/fixture.h' });
    await ok(bin, ['generate', 'linux/fixture.h', '-I', include, '--out', join(work, 'gen'), '--quiet'], work, env);
    expect(JSON.parse(readFileSync(join(work, 'gen', 'tsconfig.json'), 'utf8')).extends).toBeUndefined();
    expect(existsSync(join(work, 'gen', 'README.md'))).toBe(true);
    // headers: the per-user cache, not the package's folder.
    const list = await run(bin, ['headers', 'list'], { cwd: work, env: { ...process.env, ...env } });
    expect(list.stderr).toContain(`no headers directory ${join(cache, 'uapi-ts', 'headers')}`);
    await ok(bin, ['headers', 'sync', '--from', include, '--name', 'fixture'], work, env);
    const synced = join(cache, 'uapi-ts', 'headers', 'fixture', 'include');
    expect(existsSync(join(synced, 'linux', 'fixture.h'))).toBe(true);
    expect((await ok(bin, ['headers', 'list'], work, env)).stdout).toContain(synced);
    const fromCache = await ok(bin, ['layout', 'linux/fixture.h', '-I', synced, '--abi', 'x86_64', '--format', 'json'], work, env);
    expect(JSON.parse(fromCache.stdout)).toMatchObject({ header: 'linux/fixture.h' });
    expect(snapshot(join(app, 'node_modules'))).toEqual(before);
  });

  it("decodes a reply with the default tables of the installed @uapi-ts/vfio", async () => {
    const reply = join(app, `reply-5.9.3-nodenext.bin`);
    expect(existsSync(reply), 'the nodenext consumer wrote the reply').toBe(true);
    const bin = join(app, 'node_modules', '.bin', 'uapi-ts');
    const r = await ok(bin, ['decode', 'vfio_region_info', '--caps', '--format', 'json', '--abi', 'x86_64', reply], app);
    const j = JSON.parse(r.stdout) as { struct?: string; fields?: Record<string, unknown>; caps?: { name: string | null }[] };
    expect(JSON.stringify(j)).toContain('vfio_region_info_cap_sparse_mmap');
    expect(r.stdout).toContain('"index"');
  });

  it('installed globally (npm install -g), decode outside any project takes the global @uapi-ts/vfio tables', async () => {
    const prefix = join(work, 'global');
    await ok('npm', ['install', '-g', '--prefix', prefix, ...NPM_FLAGS, ...tarballs.values()], work);
    const bin = join(prefix, 'bin', 'uapi-ts');
    const reply = join(app, 'reply-5.9.3-nodenext.bin');
    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    const r = await ok(bin, ['decode', 'vfio_region_info', '--caps', '--format', 'json', '--abi', 'x86_64', reply], elsewhere);
    expect(r.stdout).toContain('vfio_region_info_cap_sparse_mmap');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("two runtime copies in one tree: instanceof fails across them, the guards do not, and the bindings use the app's copy", async () => {
    // The packed runtime as another version (0.2.99), which a library pins exactly: npm nests it.
    const x = join(work, 'runtime-other');
    mkdirSync(x);
    await ok('tar', ['xzf', tarballs.get('@uapi-ts/runtime')!, '-C', x], x);
    const pkgPath = join(x, 'package', 'package.json');
    writeFileSync(pkgPath, JSON.stringify({ ...JSON.parse(readFileSync(pkgPath, 'utf8')), version: '0.2.99', scripts: {} }, null, 2));
    const packed = async (dir: string): Promise<string> => {
      const r = await ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, '--loglevel', 'error'], dir);
      return join(work, (JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string }[])[0]!.filename);
    };
    const otherRuntime = await packed(join(x, 'package'));
    const lib = join(work, 'other-lib');
    mkdirSync(lib);
    writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'other-lib', version: '1.0.0', type: 'module', exports: './index.js', dependencies: { '@uapi-ts/runtime': `file:${otherRuntime}` } }));
    writeFileSync(
      join(lib, 'index.js'),
      `import { createRequire } from 'node:module';
import * as rt from '@uapi-ts/runtime';
export const runtimeVersion = createRequire(import.meta.url)('@uapi-ts/runtime/package.json').version;
export const classes = rt;
/** A pre-6.6 chain (first cap at offset 20) walked strictly: CapabilityMisalignedError from this library's runtime. */
export function walkMisaligned() {
  const bytes = new Uint8Array(40);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, 40, true); dv.setUint32(4, 1, true); dv.setUint32(8, 20, true); dv.setUint16(20, 1, true); dv.setUint16(22, 1, true);
  rt.readCapabilityChain(bytes, { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1, infoEnd: 12, caps: rt.capTable([]), littleEndian: true, alignment: 'strict' });
}
`,
    );
    const libTgz = await packed(lib);
    const two = join(work, 'two');
    mkdirSync(two);
    const deps = { '@uapi-ts/runtime': `file:${tarballs.get('@uapi-ts/runtime')}`, '@uapi-ts/vfio': `file:${tarballs.get('@uapi-ts/vfio')}`, 'other-lib': `file:${libTgz}` };
    writeFileSync(join(two, 'package.json'), JSON.stringify({ name: 'two-runtimes', version: '1.0.0', private: true, type: 'module', dependencies: deps }));
    await ok('npm', ['install', ...NPM_FLAGS], two);
    const version = (p: string): string => (JSON.parse(readFileSync(join(two, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version('@uapi-ts/runtime')).toMatch(/^0\.2\.\d+$/);
    expect(version('other-lib/node_modules/@uapi-ts/runtime')).toBe('0.2.99');
    expect(existsSync(join(two, 'node_modules', '@uapi-ts', 'vfio', 'node_modules'))).toBe(false);
    writeFileSync(
      join(two, 'main.js'),
      `import * as rt from '@uapi-ts/runtime';
import { VfioRegionInfo } from '@uapi-ts/vfio';
import { runtimeVersion, classes, walkMisaligned } from 'other-lib';
const caught = (f) => { try { f(); } catch (e) { return e; } };
const e = caught(walkMisaligned);
const b = caught(() => VfioRegionInfo.from(new Uint8Array(4)));
console.log(JSON.stringify({
  libraryRuntime: runtimeVersion,
  twoCopies: classes.CapabilityMisalignedError !== rt.CapabilityMisalignedError,
  name: e?.name,
  instanceofAcross: e instanceof rt.CapabilityMisalignedError,
  guardAcross: rt.isCapabilityMisalignedError(e),
  anyAcross: rt.isUapiRuntimeError(e),
  otherGuardFalse: rt.isStructOutOfBoundsError(e),
  bindingsUseAppRuntime: b instanceof rt.StructOutOfBoundsError,
}));
`,
    );
    const r = await ok(process.execPath, ['main.js'], two);
    expect(JSON.parse(r.stdout)).toEqual({
      libraryRuntime: '0.2.99',
      twoCopies: true,
      name: 'CapabilityMisalignedError',
      instanceofAcross: false,
      guardAcross: true,
      anyAcross: true,
      otherGuardFalse: false,
      bindingsUseAppRuntime: true,
    });
  });

  it.each([...PACKAGES])('publint --strict and attw --profile esm-only report nothing for $name', async ({ name }) => {
    const t = tarballs.get(name)!;
    const pub = await ok(process.execPath, [join(REPO, 'node_modules', 'publint', 'src', 'cli.js'), 'run', t, '--strict', '--level', 'suggestion'], work);
    expect(pub.stdout).toContain('All good!');
    const attw = await run(process.execPath, [join(REPO, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), t, '--profile', 'esm-only', '--format', 'json'], { cwd: work });
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
    // The JSON lists every problem; the esm-only profile ignores node10 and node16-from-CJS resolution
    // (no CommonJS build; a CommonJS app uses require() of ESM, as the cjs consumer above does).
    const j = JSON.parse(attw.stdout) as { problems?: Record<string, { resolutionKind?: string }[]> };
    const counted = Object.values(j.problems ?? {}).flat().filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(counted).toEqual([]);
  });
});
