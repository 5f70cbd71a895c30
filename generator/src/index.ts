/**
 * uapi-ts as a library: the pipeline stages and their data types.
 * Stages are pure; supply file contents through `read`.
 */
export { analyze, abiIncludeDirs, ANNOTATION_MACROS, type Analysis, type HeaderRequest } from './pipeline.js';
export { preprocess, type PreprocessInput, type PreprocessResult, type Macro } from './preprocess/index.js';
export { parse, type ParseResult } from './parse/index.js';
export { layout, type LaidOutModule, type Constant, type RecordLayout, type FieldLayout, type Gap } from './layout/index.js';
export { ABIS, ABI_NAMES, getAbi, hostAbi, type Abi, type AbiName } from './layout/abi/index.js';
export { toLayoutJson, spellType, headerRecords } from './report/json.js';
export { layoutText, capAlignWarnings } from './report/text.js';
export type { LayoutJson, RecordJson, FieldJson, ConstantJson } from './report/layout-json.js';
export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic } from './diagnostics.js';
export type * from './ir/types.js';
