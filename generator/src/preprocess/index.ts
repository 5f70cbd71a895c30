/**
 * The C preprocessor subset uapi headers use (C11 6.10): #include with -I dirs and per-ABI multiarch
 * dirs, conditionals, object-like and function-like (variadic) macros with # and ##, and the kernel's
 * annotation macros mapped to attributes the parser understands.
 *
 * Pure: files come through `read`, nothing touches the file system here.
 *
 * directives.ts reads files and directives and drives the rest; macros.ts defines and expands
 * macros; pragma-pack.ts follows `#pragma pack`; output.ts lays the result out as text for the
 * parser; expr.ts evaluates `#if` (and, later, constants); tokens.ts makes tokens.
 */
import { Preprocessor } from './directives.js';
import type { PreprocessInput, PreprocessResult } from './types.js';

export type { Comment, Loc, Token } from './tokens.js';
export type { Macro, OutToken, PackChange, PreprocessInput, PreprocessResult, SourceFile, Unreadable } from './types.js';
export { joinPath } from './directives.js';
export { UNNAMED_BITFIELD_PREFIX } from './output.js';
export { LIBC_MODEL_HEADERS, libcHeaders, type LibcFacts } from './libc-model.js';

export function preprocess(input: PreprocessInput): PreprocessResult {
  return new Preprocessor(input).run();
}
