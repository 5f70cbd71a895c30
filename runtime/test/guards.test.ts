// The error guards against errors thrown by another copy of the runtime: runtime/dist copied to a
// second directory and imported from there is a second module graph, as a nested
// node_modules/@uapi-ts/runtime is (test/packaging installs two versions with npm for real).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as here from '../src/index.js';
import { runtimeCopy, type RuntimeCopy } from './support/copy.js';

type Runtime = typeof here;

/** Constructor arguments for an error class (numbers fit all but these). */
const argsFor = (name: string): unknown[] => (name === 'MappingReleasedError' ? [0n, 4096] : name === 'TransportUnavailableError' ? ['not installed', ['linux-x64']] : [1, 2, 3, 4, 5, 6]);

/** Every error class the module exports: functions whose prototype chain reaches UapiRuntimeError. */
function errorClasses(rt: Record<string, unknown>, base: Function): [string, new (...a: unknown[]) => Error][] {
  return Object.entries(rt).filter((e): e is [string, new (...a: unknown[]) => Error] => typeof e[1] === 'function' && (e[1] === base || e[1].prototype instanceof base));
}

describe('error guards', () => {
  let copy: RuntimeCopy;
  let other: Runtime;
  beforeAll(async () => {
    copy = await runtimeCopy();
    other = copy.runtime;
  });
  afterAll(() => copy.remove());

  it('the copy is a second module graph: instanceof fails across it', () => {
    const e = new other.CapabilityMisalignedError(20);
    expect(other.CapabilityMisalignedError).not.toBe(here.CapabilityMisalignedError);
    expect(e instanceof here.CapabilityMisalignedError).toBe(false);
    expect(e instanceof here.UapiRuntimeError).toBe(false);
  });

  it('every error class has an is<Name> guard that recognises its errors from either copy, and only them', () => {
    const classes = errorClasses(here as unknown as Record<string, unknown>, here.UapiRuntimeError);
    expect(classes.length).toBeGreaterThanOrEqual(14);
    expect(classes.map(([n]) => n).sort()).toEqual([...here.RUNTIME_ERROR_NAMES].sort());
    const otherClasses = new Map(errorClasses(other as unknown as Record<string, unknown>, other.UapiRuntimeError));
    for (const [name, C] of classes) {
      const guard = (here as unknown as Record<string, unknown>)[`is${name}`] as (e: unknown) => boolean;
      expect(typeof guard, `is${name}`).toBe('function');
      const args = argsFor(name);
      const mine = new C(...args);
      const theirs = new (otherClasses.get(name)!)(...args);
      expect(mine.name).toBe(name);
      expect(guard(mine), name).toBe(true);
      expect(guard(theirs), `${name} from the other copy`).toBe(true);
      expect(here.isUapiRuntimeError(theirs)).toBe(true);
      for (const [n2, C2] of classes) if (n2 !== name && n2 !== 'UapiRuntimeError') expect(guard(new C2(...argsFor(n2))), `is${name}(${n2})`).toBe(name === 'UapiRuntimeError');
    }
  });

  it('a guard is false for what is not that error', () => {
    for (const v of [undefined, null, 'CapabilityMisalignedError', { name: 'CapabilityMisalignedError' }, new Error('x'), new RangeError('x')]) {
      expect(here.isCapabilityMisalignedError(v)).toBe(false);
      expect(here.isUapiRuntimeError(v)).toBe(false);
    }
  });

  it('an error thrown inside the other copy (a chain walk) is recognised here', () => {
    const where = { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 };
    // A 20-byte info struct (pre-6.6) whose first cap sits at the unaligned offset 20.
    const bytes = new Uint8Array(40);
    const dv = new DataView(bytes.buffer);
    dv.setUint32(0, 40, true);
    dv.setUint32(4, 1, true);
    dv.setUint32(8, 20, true);
    dv.setUint16(20, 1, true);
    dv.setUint16(22, 1, true);
    let caught: unknown;
    try {
      other.readCapabilityChain(bytes, { ...where, infoEnd: 12, caps: other.capTable([]), littleEndian: true, alignment: 'strict' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(other.CapabilityMisalignedError);
    expect(caught instanceof here.CapabilityMisalignedError).toBe(false);
    expect(here.isCapabilityMisalignedError(caught)).toBe(true);
  });
});
