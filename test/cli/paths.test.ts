/**
 * Where the CLI finds things from any directory (generator/src/cli/paths.ts): the per-user cache,
 * the headers dir in and out of a checkout, the default tables of `decode` from the installed
 * @uapi-ts/vfio. The installed CLI itself runs outside the checkout in test/packaging.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutRoot, defaultHeadersDir, defaultTablesPath, userCacheDir } from '../../generator/src/cli/paths.js';
import { REPO } from '../support/trees.js';

describe('CLI paths', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-paths-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('the per-user cache is $XDG_CACHE_HOME/uapi-ts when that is absolute, else ~/.cache/uapi-ts', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/uapi-ts');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative/dir' })).toBe(join(homedir(), '.cache', 'uapi-ts'));
    expect(userCacheDir({})).toBe(join(homedir(), '.cache', 'uapi-ts'));
  });

  it('runs from this checkout: headers/ of the repository unless $UAPI_HEADERS_DIR says otherwise', () => {
    expect(checkoutRoot()).toBe(join(REPO).replace(/\/$/, ''));
    expect(defaultHeadersDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe(join(REPO, 'headers'));
    expect(defaultHeadersDir({ UAPI_HEADERS_DIR: '/x/h' })).toBe('/x/h');
  });

  it("decode's default tables: the @uapi-ts/vfio installed for the current directory, else the CLI's own", () => {
    const app = join(tmp, 'app');
    const pkg = join(app, 'node_modules', '@uapi-ts', 'vfio');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@uapi-ts/vfio', type: 'module', exports: { './tables.json': './tables.json' } }));
    writeFileSync(join(pkg, 'tables.json'), '{}');
    expect(realpathSync(defaultTablesPath(app)!)).toBe(realpathSync(join(pkg, 'tables.json')));
    // From a directory with no bindings installed, the ones next to the CLI (the workspace's).
    expect(realpathSync(defaultTablesPath(tmp)!)).toBe(realpathSync(join(REPO, 'generated', 'vfio', 'tables.json')));
  });
});
