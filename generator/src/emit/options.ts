/** What the generated package is called and what it was generated from (the header's model aside). */
export interface EmitOptions {
  /** npm package name, e.g. @uapi-ts/vfio */
  packageName: string;
  kernel: string;
  /** The (first) header's sha256. */
  sha256: string;
  /** A package of several headers: each header as included and its sha256, in order (the first's is `sha256`). */
  sources?: readonly { header: string; sha256: string }[];
  runtimeVersion: string;
  /**
   * Where the package sits in a uapi-ts checkout: tsconfig.json then extends its tsconfig.base.json
   * and references its runtime project by these relative paths (generated/vfio: ../../...). Without
   * it the package is self-contained: its tsconfig.json carries the compiler options itself and
   * package.json the devDependencies to build it after `npm install`.
   */
  workspace?: {
    tsconfigBase: string;
    runtime: string;
    /** The checkout's git repository (its package.json "repository" url) and the package's folder in it. */
    repository?: { url: string; directory: string };
  };
}
