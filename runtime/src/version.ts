import { RuntimeVersionMismatchError } from './errors.js';

/** Keep equal to runtime/package.json "version" (a test checks). */
export const RUNTIME_VERSION = '0.2.0';

/**
 * The codegen versions this runtime serves: for each N, the entry `@uapi-ts/runtime/codegen-vN`
 * that generated code imports (runtime/src/codegen-vN.ts). A version leaves this list only in a
 * major release.
 */
export const CODEGEN_VERSIONS: readonly number[] = [1];

/**
 * Generated packages call this at import with the codegen version they were generated for. The
 * rule is on the codegen version, not on the runtime's own version: any runtime that serves it
 * serves the package (so one runtime copy in an app serves every generated package).
 */
export function checkRuntimeVersion(codegen: number): void {
  if (typeof codegen === 'number' && CODEGEN_VERSIONS.includes(codegen)) return;
  // A string here is a package generated before codegen versions (it passed the runtime version it wanted).
  const expected = typeof codegen === 'number' ? `codegen-v${codegen}` : String(codegen);
  throw new RuntimeVersionMismatchError(expected, `${RUNTIME_VERSION} (serving ${CODEGEN_VERSIONS.map((v) => `codegen-v${v}`).join(', ')})`);
}
