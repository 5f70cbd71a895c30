/**
 * uapi-ts as a library: the pipeline stages and their data types.
 * Stages are pure; supply file contents through `read`.
 */
export { analyze, abiIncludeDirs, ANNOTATION_MACROS, type Analysis, type HeaderRequest } from './pipeline.js';
export { preprocess, libcHeaders, LIBC_MODEL_HEADERS, type LibcFacts, type PreprocessInput, type PreprocessResult, type Macro } from './preprocess/index.js';
export { parse, type ParseResult } from './parse/index.js';
export { layout, capAlignWarnings, CAP_ALIGN_CODE, type CapAlignWarning, type LaidOutModule, type Constant, type RecordLayout, type FieldLayout, type Gap, type ElementFact, type ArrayFact, type BitfieldWindow, type ScalarFact, type ScalarKind, type EnumFact, type PaholeHoles } from './layout/index.js';
export { ABIS, ABI_NAMES, getAbi, hostAbi, withTime64, type Abi, type AbiName } from './layout/abi/index.js';
export { toLayoutJson } from './layout/json.js';
export { spellType } from './ir/spell.js';
export { headerRecords, resolveTypedefs } from './ir/queries.js';
export { layoutText } from './report/text.js';
export type { LayoutJson, RecordJson, FieldJson, ConstantJson, UnsupportedJson } from './contract/layout-json.js';
export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic } from './diagnostics.js';
export type * from './ir/types.js';
export type * from './ir/tokens.js';
