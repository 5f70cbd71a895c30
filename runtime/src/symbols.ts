/**
 * Every runtime export the code generator may emit an import of. The generator imports this table
 * and writes `import { ${symbols.X.name} } from '${symbols.X.from}'`; `satisfies` below checks each
 * entry against the real exports, so renaming a runtime export breaks the generator's build
 * instead of its output.
 */
import type * as runtime from './index.js';

const RT = '@uapi-ts/runtime' as const;
const TESTING = '@uapi-ts/runtime/testing' as const;
const e = <N extends string>(name: N) => ({ name, from: RT }) as const;

export const symbols = {
  // version handshake
  RUNTIME_VERSION: e('RUNTIME_VERSION'),
  checkRuntimeVersion: e('checkRuntimeVersion'),
  // struct views
  StructView: e('StructView'),
  layoutToJSON: e('layoutToJSON'),
  HOST_LITTLE_ENDIAN: e('HOST_LITTLE_ENDIAN'),
  // scalar grid
  readU8le: e('readU8le'), readU8be: e('readU8be'), readS8le: e('readS8le'), readS8be: e('readS8be'),
  readU16le: e('readU16le'), readU16be: e('readU16be'), readS16le: e('readS16le'), readS16be: e('readS16be'),
  readU32le: e('readU32le'), readU32be: e('readU32be'), readS32le: e('readS32le'), readS32be: e('readS32be'),
  readU64le: e('readU64le'), readU64be: e('readU64be'), readS64le: e('readS64le'), readS64be: e('readS64be'),
  writeU8le: e('writeU8le'), writeU8be: e('writeU8be'), writeS8le: e('writeS8le'), writeS8be: e('writeS8be'),
  writeU16le: e('writeU16le'), writeU16be: e('writeU16be'), writeS16le: e('writeS16le'), writeS16be: e('writeS16be'),
  writeU32le: e('writeU32le'), writeU32be: e('writeU32be'), writeS32le: e('writeS32le'), writeS32be: e('writeS32be'),
  writeU64le: e('writeU64le'), writeU64be: e('writeU64be'), writeS64le: e('writeS64le'), writeS64be: e('writeS64be'),
  // bitfields
  readBits: e('readBits'), writeBits: e('writeBits'), readBits64: e('readBits64'), writeBits64: e('writeBits64'),
  // arrays
  numberArray: e('numberArray'), bigintArray: e('bigintArray'),
  flexibleNumberArray: e('flexibleNumberArray'), flexibleBigintArray: e('flexibleBigintArray'),
  structArray: e('structArray'), arrayGet: e('arrayGet'), arraySet: e('arraySet'), ArrayAccessor: e('ArrayAccessor'),
  // capability chains
  capTable: e('capTable'), capabilityCursor: e('capabilityCursor'), readCapabilityChain: e('readCapabilityChain'),
  policyForKernel: e('policyForKernel'), ChainBuilder: e('ChainBuilder'), negotiate: e('negotiate'), negotiateCursor: e('negotiateCursor'),
  // transport
  loadTransport: e('loadTransport'),
  // errors
  UapiRuntimeError: e('UapiRuntimeError'),
  IoctlError: e('IoctlError'),
  // types (import type)
  FieldSpec: e('FieldSpec'), StructLayout: e('StructLayout'), CapabilitySpec: e('CapabilitySpec'),
  ChainOptions: e('ChainOptions'), IoctlFn: e('IoctlFn'),
  // testing subpath
  FakeVfio: { name: 'FakeVfio', from: TESTING },
} as const;

/** Value and type names the runtime exports; `symbols` must only name these. */
type RuntimeName = keyof typeof runtime | 'FieldSpec' | 'StructLayout' | 'CapabilitySpec' | 'ChainOptions' | 'IoctlFn';
type TestingName = keyof typeof import('./testing/index.js');
type Check<T> = { [K in keyof T]: T[K] extends { name: infer N; from: typeof RT } ? N extends RuntimeName ? K extends N ? T[K] : never : never
  : T[K] extends { name: infer N; from: typeof TESTING } ? N extends TestingName ? T[K] : never : never };
// Compile-time check: each entry's name is its key and is really exported from its module.
const _check: Check<typeof symbols> = symbols;
void _check;

export type RuntimeSymbol = keyof typeof symbols;
