import { RuntimeVersionMismatchError } from './errors.js';

/** Keep equal to runtime/package.json "version" (a test checks). */
export const RUNTIME_VERSION = '0.1.1';

/**
 * Generated packages call this at import with the runtime version they were generated against.
 * Same major, and same minor while major is 0 (semver's 0.x rule), and installed >= expected.
 */
export function checkRuntimeVersion(expected: string): void {
  const parse = (v: string): [number, number, number] | null => {
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  };
  const e = parse(expected);
  const a = parse(RUNTIME_VERSION)!;
  if (e === null) throw new RuntimeVersionMismatchError(expected, RUNTIME_VERSION);
  const ok = a[0] === e[0] && (e[0] !== 0 || a[1] === e[1]) && (a[1] > e[1] || (a[1] === e[1] && a[2] >= e[2]));
  if (!ok) throw new RuntimeVersionMismatchError(expected, RUNTIME_VERSION);
}
