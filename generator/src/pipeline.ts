/**
 * The pipeline for one header on one ABI: preprocess -> parse -> layout.
 * Pure: files are read through `read`; the CLI supplies a file-system reader.
 */
import type { Diagnostic } from './diagnostics.js';
import type { Limits } from './limits.js';
import type { IrModule } from './ir/types.js';
import type { Abi } from './layout/abi/index.js';
import { layout, type LaidOutModule } from './layout/index.js';
import { parse } from './parse/index.js';
import { joinPath, libcHeaders, preprocess, type PreprocessResult, type Unreadable } from './preprocess/index.js';

/**
 * The kernel's annotation macros, locked before any header is read so a header's own definition
 * (often empty in uapi) does not erase what layout and bindings need.
 */
export const ANNOTATION_MACROS: Readonly<Record<string, string>> = {
  // include/uapi/linux/stddef.h (6.7+): a flexible array's element count lives in member m.
  '__counted_by(m)': '__attribute__((__counted_by__(m)))',
  '__counted_by_le(m)': '__attribute__((__counted_by__(m)))',
  '__counted_by_be(m)': '__attribute__((__counted_by__(m)))',
  // include/uapi/linux/stddef.h: a struct wrapping an empty struct and `TYPE NAME[]`, so that a
  // flexible array may sit in a union; it has the same layout as the bare flexible array.
  '__DECLARE_FLEX_ARRAY(TYPE, NAME)': 'TYPE NAME[]',
  // Sparse annotations: no effect on layout (stripped by headers_install, present in kernel trees).
  __user: '',
  __force: '',
  __iomem: '',
  __rcu: '',
  __kernel: '',
  __nocast: '',
  __safe: '',
  // GNU alternate keywords (gcc "Alternate Keywords"), spelled out for the C grammar.
  __signed__: 'signed',
  __signed: 'signed',
  __const: 'const',
  __volatile__: 'volatile',
  __restrict: 'restrict',
  __inline__: 'inline',
  __inline: 'inline',
  __extension__: '',
  // C99 complex types: the grammar has no _Complex, so it is spelled as an attribute parse reads
  // back into the type (`float _Complex` = two floats, real part first).
  _Complex: '__attribute__((__uapi_ts_complex__))',
  __complex__: '__attribute__((__uapi_ts_complex__))',
};

export interface HeaderRequest {
  /** As in `#include <...>`: "linux/vfio.h". */
  header: string;
  /**
   * Further headers read after `header` in the same translation unit (as if it ended with an
   * `#include` of each): their declarations are the module's own too (IrModule.headerPaths).
   */
  alsoHeaders?: readonly string[];
  /** `-I` directories; each also contributes its `<dir>/<triplet>` multiarch dir first. */
  includeDirs: readonly string[];
  read(path: string): string | Unreadable | undefined;
  /** Budgets on the work the header may cause (limits.ts); the defaults where unset. */
  limits?: Partial<Limits>;
  /**
   * Headers included first, as a program includes `<sys/time.h>` or `<sys/ioctl.h>` before a uapi
   * header that needs them (gcc's `-include`); libc ones come from the built-in model.
   */
  prelude?: readonly string[];
}

export interface Analysis {
  abi: Abi;
  pp: PreprocessResult;
  ir: IrModule;
  laid: LaidOutModule;
  diagnostics: Diagnostic[];
}

/** Search path for an ABI, as gcc's multiarch does: `<dir>/<triplet>` before `<dir>`. */
export function abiIncludeDirs(dirs: readonly string[], abi: Abi): string[] {
  return dirs.flatMap((d) => [joinPath(d, abi.triplet), d]);
}

export function analyze(req: HeaderRequest, abi: Abi): Analysis {
  const pp = preprocess({
    entry: req.header,
    ...(req.alsoHeaders && req.alsoHeaders.length > 0 ? { alsoEntries: req.alsoHeaders } : {}),
    includeDirs: abiIncludeDirs(req.includeDirs, abi),
    predefined: abi.predefined,
    builtins: ANNOTATION_MACROS,
    // The libc headers uapi headers include, as glibc has them on this ABI (libc-model.ts).
    builtinHeaders: libcHeaders({ timeBits: abi.timeBits }),
    read: req.read,
    ...(req.limits ? { limits: req.limits } : {}),
    ...(req.prelude ? { prelude: req.prelude } : {}),
  });
  const { ir, diagnostics: parseDiags } = parse(pp, req.header, req.limits);
  const laid = layout(ir, abi);
  return { abi, pp, ir, laid, diagnostics: dedupe([...pp.diagnostics, ...parseDiags, ...laid.diagnostics]) };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
