/**
 * Recognising the runtime's errors across copies of the runtime. An app can hold two copies of
 * @uapi-ts/runtime (npm nests one when versions conflict); an error thrown by one copy is not an
 * `instanceof` the other copy's class. These guards check the error's `name` (each class sets its
 * own), so they answer the same for an error from any copy. runtime/test/guards.test.ts checks that
 * every error class has its guard and that the guards see errors of another copy.
 */
import type * as E from './errors.js';
import type { FeatureMismatchError } from './feature.js';
import type { SizedArgError } from './sized.js';
import type { MappingReleasedError } from './transport/memory.js';

/** A guard for the error class named `name`: an Error whose `name` is that class's. */
function named<T extends Error>(name: string): (e: unknown) => e is T {
  return (e: unknown): e is T => e instanceof Error && e.name === name;
}

/** The `name` of every error class the runtime throws (UapiRuntimeError and its subclasses). */
export const RUNTIME_ERROR_NAMES: readonly string[] = [
  'UapiRuntimeError',
  'StructOutOfBoundsError',
  'IndexOutOfRangeError',
  'InfoTruncatedError',
  'CapabilityOutOfBoundsError',
  'CapabilityCycleError',
  'CapabilityMisalignedError',
  'ReplyTruncatedError',
  'CapabilityTooSmallError',
  'FlexibleArrayOverflowError',
  'ChainTooLongError',
  'ChainBuilderError',
  'ArgszNegotiationError',
  'IoctlError',
  'RuntimeVersionMismatchError',
  'TransportUnavailableError',
  'MappingReleasedError',
  'FeatureMismatchError',
  'SizedArgError',
];

/** Any error of the runtime (of this copy or another): `instanceof UapiRuntimeError` across copies. */
export function isUapiRuntimeError(e: unknown): e is E.UapiRuntimeError {
  return e instanceof Error && RUNTIME_ERROR_NAMES.includes(e.name);
}

export const isStructOutOfBoundsError = /* @__PURE__ */ named<E.StructOutOfBoundsError>('StructOutOfBoundsError');
export const isIndexOutOfRangeError = /* @__PURE__ */ named<E.IndexOutOfRangeError>('IndexOutOfRangeError');
export const isInfoTruncatedError = /* @__PURE__ */ named<E.InfoTruncatedError>('InfoTruncatedError');
export const isCapabilityOutOfBoundsError = /* @__PURE__ */ named<E.CapabilityOutOfBoundsError>('CapabilityOutOfBoundsError');
export const isCapabilityCycleError = /* @__PURE__ */ named<E.CapabilityCycleError>('CapabilityCycleError');
export const isCapabilityMisalignedError = /* @__PURE__ */ named<E.CapabilityMisalignedError>('CapabilityMisalignedError');
export const isReplyTruncatedError = /* @__PURE__ */ named<E.ReplyTruncatedError>('ReplyTruncatedError');
export const isCapabilityTooSmallError = /* @__PURE__ */ named<E.CapabilityTooSmallError>('CapabilityTooSmallError');
export const isFlexibleArrayOverflowError = /* @__PURE__ */ named<E.FlexibleArrayOverflowError>('FlexibleArrayOverflowError');
export const isChainTooLongError = /* @__PURE__ */ named<E.ChainTooLongError>('ChainTooLongError');
export const isChainBuilderError = /* @__PURE__ */ named<E.ChainBuilderError>('ChainBuilderError');
export const isArgszNegotiationError = /* @__PURE__ */ named<E.ArgszNegotiationError>('ArgszNegotiationError');
export const isIoctlError = /* @__PURE__ */ named<E.IoctlError>('IoctlError');
export const isRuntimeVersionMismatchError = /* @__PURE__ */ named<E.RuntimeVersionMismatchError>('RuntimeVersionMismatchError');
export const isMappingReleasedError = /* @__PURE__ */ named<MappingReleasedError>('MappingReleasedError');
export const isTransportUnavailableError = /* @__PURE__ */ named<E.TransportUnavailableError>('TransportUnavailableError');
export const isFeatureMismatchError = /* @__PURE__ */ named<FeatureMismatchError>('FeatureMismatchError');
export const isSizedArgError = /* @__PURE__ */ named<SizedArgError>('SizedArgError');
