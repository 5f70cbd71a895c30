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
  'CapabilityTooSmallError',
  'FlexibleArrayOverflowError',
  'ChainTooLongError',
  'ChainBuilderError',
  'ArgszNegotiationError',
  'IoctlError',
  'RuntimeVersionMismatchError',
  'TransportUnavailableError',
  'MappingReleasedError',
  'ReplyTruncatedError',
  'FeatureMismatchError',
  'SizedArgError',
];

/** Any error of the runtime (of this copy or another): `instanceof UapiRuntimeError` across copies. */
export function isUapiRuntimeError(e: unknown): e is E.UapiRuntimeError {
  return e instanceof Error && RUNTIME_ERROR_NAMES.includes(e.name);
}

export const isStructOutOfBoundsError = named<E.StructOutOfBoundsError>('StructOutOfBoundsError');
export const isIndexOutOfRangeError = named<E.IndexOutOfRangeError>('IndexOutOfRangeError');
export const isInfoTruncatedError = named<E.InfoTruncatedError>('InfoTruncatedError');
export const isCapabilityOutOfBoundsError = named<E.CapabilityOutOfBoundsError>('CapabilityOutOfBoundsError');
export const isCapabilityCycleError = named<E.CapabilityCycleError>('CapabilityCycleError');
export const isCapabilityMisalignedError = named<E.CapabilityMisalignedError>('CapabilityMisalignedError');
export const isCapabilityTooSmallError = named<E.CapabilityTooSmallError>('CapabilityTooSmallError');
export const isFlexibleArrayOverflowError = named<E.FlexibleArrayOverflowError>('FlexibleArrayOverflowError');
export const isChainTooLongError = named<E.ChainTooLongError>('ChainTooLongError');
export const isChainBuilderError = named<E.ChainBuilderError>('ChainBuilderError');
export const isArgszNegotiationError = named<E.ArgszNegotiationError>('ArgszNegotiationError');
export const isIoctlError = named<E.IoctlError>('IoctlError');
export const isRuntimeVersionMismatchError = named<E.RuntimeVersionMismatchError>('RuntimeVersionMismatchError');
export const isMappingReleasedError = named<MappingReleasedError>('MappingReleasedError');
export const isTransportUnavailableError = named<E.TransportUnavailableError>('TransportUnavailableError');
export const isReplyTruncatedError = named<E.ReplyTruncatedError>('ReplyTruncatedError');
export const isFeatureMismatchError = named<FeatureMismatchError>('FeatureMismatchError');
export const isSizedArgError = named<SizedArgError>('SizedArgError');
