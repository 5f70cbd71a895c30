/** The publishable packages of the repository, and what their package.json points at. */

export interface PublishedPackage {
  name: string;
  /** The package's folder in the checkout. */
  dir: string;
}

export const PACKAGES: readonly PublishedPackage[] = [
  { name: '@uapi-ts/runtime', dir: 'runtime' },
  { name: 'uapi-ts', dir: 'generator' },
  { name: '@uapi-ts/vfio', dir: 'generated/vfio' },
];

/** Every file an `exports` map names (each condition's target, nested conditions included). */
export function exportTargets(pkg: { exports?: unknown }): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(pkg.exports);
  return [...new Set(out)];
}

/** The subpaths an `exports` map offers (".", "./abi/x86_64", ...), without JSON and package.json. */
export function exportedSubpaths(pkg: { exports?: unknown }): string[] {
  return Object.keys((pkg.exports ?? {}) as Record<string, unknown>).filter((k) => !k.endsWith('.json'));
}
