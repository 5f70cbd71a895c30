/**
 * Where the CLI keeps and finds things, whether it runs from a uapi-ts checkout or from an
 * installed package (`npm install -g uapi-ts`, a devDependency): in a checkout, the repository's
 * headers/ and generated/ folders; installed, a per-user cache and the installed bindings. Nothing
 * is ever written next to the installed package (into node_modules).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The root of the uapi-ts checkout this CLI runs from (generator/dist/cli or generator/src/cli, three
 * folders down), or undefined when it runs from an installed package: the root's package.json is
 * the uapi-ts workspace and its generator/ folder is this package.
 */
export function checkoutRoot(): string | undefined {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown; workspaces?: unknown };
    if (pkg.name === 'uapi-ts-workspace' && Array.isArray(pkg.workspaces) && existsSync(join(root, 'generator', 'package.json'))) return root;
  } catch {
    // no package.json there, or not JSON: not a checkout
  }
  return undefined;
}

/** The per-user cache: $XDG_CACHE_HOME/uapi-ts (an absolute XDG_CACHE_HOME only, as the XDG spec says), else ~/.cache/uapi-ts. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'uapi-ts');
}

/**
 * The headers directory of `uapi-ts headers` when --dir is not given: $UAPI_HEADERS_DIR, else the
 * checkout's headers/, else headers/ in the per-user cache.
 */
export function defaultHeadersDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.UAPI_HEADERS_DIR) return resolve(env.UAPI_HEADERS_DIR);
  const repo = checkoutRoot();
  return repo ? join(repo, 'headers') : join(userCacheDir(env), 'headers');
}

/**
 * The default tables of `uapi-ts decode`: @uapi-ts/vfio's tables.json as installed for the current
 * directory's project, else next to this CLI (both installed as dependencies), else the checkout's
 * generated/vfio; undefined when there is none.
 */
export function defaultTablesPath(cwd: string = process.cwd()): string | undefined {
  for (const from of [join(cwd, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      return createRequire(from).resolve('@uapi-ts/vfio/tables.json');
    } catch {
      // not installed there
    }
  }
  const repo = checkoutRoot();
  const inRepo = repo && join(repo, 'generated', 'vfio', 'tables.json');
  return inRepo && existsSync(inRepo) ? inRepo : undefined;
}
