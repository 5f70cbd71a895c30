/**
 * The one list of what generated code may import from the runtime (as protobuf-es's codegen
 * `symbols`). The generator writes `import { ${symbols.X.name} } from '${symbols.X.from}'` from
 * this table, as `import type` where `typeOnly` is set, and reserves every name here so no C
 * declaration takes it. The checks below make a renamed or removed runtime export a compile error
 * in this file, and so in the generator's build, instead of a broken generated package.
 */
import type * as rt from './codegen-v1.js';
import type * as testing from './testing/index.js';

/**
 * The codegen version generated code is written for: it imports `@uapi-ts/runtime/codegen-v<N>`
 * and calls `checkRuntimeVersion(N)`. Bump it (and add a codegen-v<N>.ts beside the old one) when
 * generated code needs a runtime export that changed incompatibly.
 */
export const CODEGEN_VERSION = 1;

const RT = '@uapi-ts/runtime/codegen-v1' as const;
const TESTING = '@uapi-ts/runtime/testing' as const;
const v = <N extends string>(name: N) => ({ name, from: RT, typeOnly: false }) as const;
const t = <N extends string>(name: N) => ({ name, from: RT, typeOnly: true }) as const;

export const symbols = {
  // version handshake
  RUNTIME_VERSION: v('RUNTIME_VERSION'),
  checkRuntimeVersion: v('checkRuntimeVersion'),
  // struct views
  StructView: v('StructView'),
  layoutToJSON: v('layoutToJSON'),
  HOST_LITTLE_ENDIAN: v('HOST_LITTLE_ENDIAN'),
  // scalar grid
  readU8le: v('readU8le'), readU8be: v('readU8be'), readS8le: v('readS8le'), readS8be: v('readS8be'),
  readU16le: v('readU16le'), readU16be: v('readU16be'), readS16le: v('readS16le'), readS16be: v('readS16be'),
  readU32le: v('readU32le'), readU32be: v('readU32be'), readS32le: v('readS32le'), readS32be: v('readS32be'),
  readU64le: v('readU64le'), readU64be: v('readU64be'), readS64le: v('readS64le'), readS64be: v('readS64be'),
  writeU8le: v('writeU8le'), writeU8be: v('writeU8be'), writeS8le: v('writeS8le'), writeS8be: v('writeS8be'),
  writeU16le: v('writeU16le'), writeU16be: v('writeU16be'), writeS16le: v('writeS16le'), writeS16be: v('writeS16be'),
  writeU32le: v('writeU32le'), writeU32be: v('writeU32be'), writeS32le: v('writeS32le'), writeS32be: v('writeS32be'),
  writeU64le: v('writeU64le'), writeU64be: v('writeU64be'), writeS64le: v('writeS64le'), writeS64be: v('writeS64be'),
  // bitfields
  readBits: v('readBits'), writeBits: v('writeBits'), readBits64: v('readBits64'), writeBits64: v('writeBits64'),
  // arrays
  numberArray: v('numberArray'), bigintArray: v('bigintArray'),
  flexibleNumberArray: v('flexibleNumberArray'), flexibleBigintArray: v('flexibleBigintArray'),
  structArray: v('structArray'), arrayGet: v('arrayGet'), arraySet: v('arraySet'), ArrayAccessor: v('ArrayAccessor'),
  // capability chains
  capTable: v('capTable'), capabilityCursor: v('capabilityCursor'), readCapabilityChain: v('readCapabilityChain'),
  policyForKernel: v('policyForKernel'), ChainBuilder: v('ChainBuilder'), negotiate: v('negotiate'), negotiateCursor: v('negotiateCursor'),
  // transport
  loadTransport: v('loadTransport'),
  // errors
  UapiRuntimeError: v('UapiRuntimeError'),
  IoctlError: v('IoctlError'),
  // what generated views, bind() and entry points are built from (emit-support.ts)
  BindingView: v('BindingView'),
  accessors: v('accessors'),
  flexArray: v('flexArray'),
  fixedArray: v('fixedArray'),
  fixedStructArray: v('fixedStructArray'),
  assignArray: v('assignArray'),
  assignFields: v('assignFields'),
  allocView: v('allocView'),
  walkCaps: v('walkCaps'),
  chainOptionsFor: v('chainOptionsFor'),
  buildFeature: v('buildFeature'),
  readFeature: v('readFeature'),
  featureHelpers: v('featureHelpers'),
  // types (`import type`)
  FieldSpec: t('FieldSpec'), StructLayout: t('StructLayout'), CapabilitySpec: t('CapabilitySpec'),
  ChainOptions: t('ChainOptions'), IoctlFn: t('IoctlFn'),
  BindingLayout: t('BindingLayout'), ViewClass: t('ViewClass'), Accessors: t('Accessors'), Bytes: t('Bytes'),
  CapEntry: t('CapEntry'), UnknownCap: t('UnknownCap'), CapItemBase: t('CapItemBase'), WalkOptions: t('WalkOptions'),
  ScalarKind: t('ScalarKind'),
  FeatureEntry: t('FeatureEntry'), FeatureCarrier: t('FeatureCarrier'), FeatureHelpers: t('FeatureHelpers'),
  // testing subpath
  FakeVfio: { name: 'FakeVfio', from: TESTING, typeOnly: false },
} as const;

export type RuntimeSymbol = keyof typeof symbols;
export type SymbolEntry = (typeof symbols)[RuntimeSymbol];

/**
 * The codegen entry's exported types, each by the name it is exported under. A type entry of `symbols`
 * must be a key here, and each property names the real export: renaming one breaks this file.
 */
interface ExportedTypes {
  FieldSpec: rt.FieldSpec;
  StructLayout: rt.StructLayout;
  CapabilitySpec: rt.CapabilitySpec;
  ChainOptions: rt.ChainOptions;
  IoctlFn: rt.IoctlFn;
  BindingLayout: rt.BindingLayout;
  ViewClass: rt.ViewClass<unknown, unknown>;
  Accessors: rt.Accessors;
  Bytes: rt.Bytes;
  CapEntry: rt.CapEntry;
  UnknownCap: rt.UnknownCap;
  CapItemBase: rt.CapItemBase;
  WalkOptions: rt.WalkOptions;
  ScalarKind: rt.ScalarKind;
  FeatureEntry: rt.FeatureEntry;
  FeatureCarrier: rt.FeatureCarrier<unknown>;
  FeatureHelpers: rt.FeatureHelpers<unknown, unknown>;
}

type Exported<From, TypeOnly> = From extends typeof TESTING ? keyof typeof testing : TypeOnly extends true ? keyof ExportedTypes : keyof typeof rt;
type Check<T> = { [K in keyof T]: T[K] extends { name: infer N; from: infer F; typeOnly: infer O } ? (K extends N ? (N extends Exported<F, O> ? T[K] : never) : never) : never };
// Compile-time check: each entry's name is its key and is really exported (as a value or a type) from its module
// (codegen-v1.ts for the runtime's entries).
const _check: Check<typeof symbols> = symbols;
void _check;
