/**
 * The preprocessor's data: what it takes, what it hands the parser, and the macros and pragma
 * states it records on the way. Every file of preprocess/ reads these; index.ts re-exports them.
 */
import type { Limits } from '../limits.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Comment, Loc, Token } from './tokens.js';

export interface Macro {
  name: string;
  /** null for object-like macros. */
  params: string[] | null;
  variadic: boolean;
  body: Token[];
  loc: Loc;
}

export interface PreprocessInput {
  /** Header as written in `#include <...>`, e.g. "linux/vfio.h". */
  entry: string;
  /**
   * Further headers of the same translation unit, read after the entry as if it ended with
   * `#include <h>` for each (a package of several headers: vfio.h, vfio_zdev.h, vfio_ccw.h).
   */
  alsoEntries?: readonly string[];
  /** Directories searched in order, as `-I` does. */
  includeDirs: readonly string[];
  /** Predefined macros: name -> replacement text (object-like). */
  predefined: Readonly<Record<string, string>>;
  /**
   * Macros defined before any header and locked: a header's own #define of the same name is ignored.
   * Keys are `NAME` or `NAME(a,b)`. Used for the kernel's annotation macros.
   */
  builtins: Readonly<Record<string, string>>;
  /** Budgets (limits.ts); the defaults where unset. */
  limits?: Partial<Limits>;
  /**
   * More built-in headers (the libc model, libc-model.ts), by include name: found after every
   * -I dir, as the compiler's own headers are.
   */
  builtinHeaders?: Readonly<Record<string, string>>;
  /**
   * Headers included before the entry, as gcc's `-include` does (or a program's own `#include
   * <sys/ioctl.h>` before the uapi header): their macros and types are seen by the entry.
   */
  prelude?: readonly string[];
  /**
   * Returns a file's text, undefined when it does not exist, or Unreadable when it exists but cannot
   * be read (the search stops there, as gcc's does, and the reason is the diagnostic).
   */
  read(path: string): string | Unreadable | undefined;
}

/** A file that is there but cannot be read, and why, as a user reads it ("permission denied"). */
export interface Unreadable {
  unreadable: string;
}

export interface SourceFile {
  /** Path as found (include dir joined with the include name). */
  path: string;
  /** Name relative to the include dir it was found in, e.g. "linux/types.h". */
  name: string;
  text: string;
}

export interface PreprocessResult {
  /** Expanded translation unit, one output line per source line that produced tokens. */
  text: string;
  /** Source position of the token starting at (row, col) of `text` (0-based row and column). */
  locate(row: number, col: number): Loc;
  /** Every output token with its output position, in order. */
  tokens: OutToken[];
  macros: ReadonlyMap<string, Macro>;
  /** Path of the file that (last) defined each macro, by macro name. */
  macroFile: ReadonlyMap<string, string>;
  comments: ReadonlyMap<string, Comment[]>;
  files: SourceFile[];
  /** Path of the entry header as found. */
  entryPath: string | undefined;
  /** Paths of the entry and of each of `alsoEntries` found, in order (the entry's first when found). */
  entryPaths: string[];
  diagnostics: Diagnostic[];
  /** Macro-expand tokens against the final macro table (for evaluating constants afterwards). */
  expand(tokens: readonly Token[]): Token[];
  /** Every change of the `#pragma pack` (and layout-changing pragma) state, in output order. */
  packChanges: PackChange[];
  /** The pack state for a record whose closing brace is at output (row, col). */
  packAt(row: number, col: number): { align: number; unknown?: string; loc?: Loc };
}

/**
 * The `#pragma pack` state (gcc's maximum_field_alignment) from a point of the output on: in effect
 * for records whose closing brace comes at or after (row, col) and before the next change.
 */
export interface PackChange {
  /** Output position of the first token after the pragma (0-based). */
  row: number;
  col: number;
  /** Maximum member alignment in bytes; 0: none (natural alignment). */
  align: number;
  /** Set when we cannot tell what gcc makes of the pragmas so far: records under it are unsupported. */
  unknown?: string;
  /** The pragma that made this state. */
  loc: Loc;
}

export interface OutToken {
  token: Token;
  row: number;
  col: number;
}

/** Where each part of the preprocessor reports an input problem (in the order met). */
export type Report = (code: string, message: string, loc: Loc, severity?: Diagnostic['severity']) => void;
