/**
 * TypeScript names for what a header declares: legal and unique across the generated package,
 * chosen deterministically. C names stay C names wherever they are keys (OFFSETS, tables.json,
 * AbiConstants, IOCTLS, an enum object's keys); identifiers that would be illegal or already taken
 * get `_` appended until they are free (docs/bindings.md, "Names").
 */
import { symbols } from '@uapi-ts/runtime';

/** Words that cannot name a variable, class or type alias in a strict-mode ES module. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  // strict mode and modules
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await', 'arguments', 'eval',
  // predefined types (a class or an enum is also a type name)
  'any', 'unknown', 'number', 'bigint', 'boolean', 'string', 'symbol', 'never', 'object', 'undefined', 'as', 'type',
  // globals that must keep their meaning
  'NaN', 'Infinity', 'globalThis',
]);

/**
 * Identifiers the generated files declare, import or use themselves (runtime helpers, the bind()
 * machinery, the entry points, global classes the views name): no struct, enum or constant may
 * take them.
 */
export const PACKAGE_NAMES: ReadonlySet<string> = new Set([
  // everything generated code may import from the runtime (its symbols table), and node:os
  ...Object.values(symbols).map((s) => s.name),
  'endianness',
  // the package's own declarations
  'LAYOUTS', 'AbiLayouts', 'AbiName', 'ABI_CONSTANTS', 'AbiConstants', 'CAP_KINDS', 'IOCTLS', 'Ioctl', 'Bindings', 'bind',
  'bindings', 'abi', 'structs', 'ioctls', 'hostAbi', 'C', 'V',
  // globals the generated code names
  'Object', 'Array', 'Record', 'Readonly', 'ArrayLike', 'IterableIterator', 'DataView', 'ArrayBuffer', 'Uint8Array',
  'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'BigUint64Array', 'BigInt64Array', 'BigInt',
  'Number', 'String', 'Boolean', 'Symbol', 'Error', 'Math', 'JSON', 'Map', 'Set', 'Promise', 'Function', 'process',
]);

/** Generated per-ABI tables (LAYOUTS_0, CONSTANTS_1...). */
const GENERATED_PATTERN = /^(LAYOUTS|CONSTANTS)_\d+$/;

/**
 * Names a view already has, which a member must not shadow: StructView/BindingView members, the
 * caps() walker, and what every object inherits from Object.prototype.
 */
export const VIEW_MEMBERS: ReadonlySet<string> = new Set([
  'dv', 'bytes', 'toJSON', 'toDisplay', 'caps', 'constructor', 'layout',
  'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/** What every object inherits from Object.prototype (an own property of that name needs care). */
export const OBJECT_MEMBERS: ReadonlySet<string> = new Set([
  'constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
  '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

/** An object-literal key: `__proto__` written as a computed key, which makes an own property, not the prototype. */
export function literalKey(name: string): string {
  return name === '__proto__' ? '["__proto__"]' : name;
}

/** Hands out package-level identifiers: first come, first served; a taken or illegal one gets `_`s. */
export class NameTable {
  private readonly taken = new Set<string>();

  private free(name: string): boolean {
    return !this.taken.has(name) && !RESERVED_WORDS.has(name) && !PACKAGE_NAMES.has(name) && !GENERATED_PATTERN.test(name);
  }

  /** The first of `base`, `base_`, `base__`... for which every derived name (suffixes) is free; claims them. */
  claim(base: string, suffixes: readonly string[] = ['']): string {
    let name = base;
    while (!suffixes.every((s) => this.free(name + s))) name += '_';
    for (const s of suffixes) this.taken.add(name + s);
    return name;
  }
}

/**
 * Member property names of one view (its members and flexible array, in order): the C name, or for
 * one that shadows a view member, the C name with `_` appended until it is neither a view member
 * nor another member's name.
 */
export function memberNames(names: readonly string[]): string[] {
  const used = new Set(names.filter((n) => !VIEW_MEMBERS.has(n)));
  return names.map((n) => {
    if (!VIEW_MEMBERS.has(n)) return n;
    let js = `${n}_`;
    while (VIEW_MEMBERS.has(js) || used.has(js)) js += '_';
    used.add(js);
    return js;
  });
}
