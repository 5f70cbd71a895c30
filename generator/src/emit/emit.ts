/**
 * Print a BindingModel as a TypeScript package with ts-morph: structures built in memory, printed,
 * returned as path -> content (the CLI writes them). Deterministic: no timestamps, no tool versions.
 */
import {
  IndentationText,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type JSDocStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
  type WriterFunction,
} from 'ts-morph';

type Stmt = string | WriterFunction | StatementStructures;
import { emitSymbols, symbols } from '@uapi-ts/runtime';
import type { AbiName } from '../layout/abi/index.js';
import { literalKey, OBJECT_MEMBERS } from './names.js';
import type { BindingModel, ConstantModel, LayoutJsonTable, MemberModel, RecordModel, ScalarKind } from './model.js';

export interface EmitOptions {
  /** npm package name, e.g. @uapi-ts/vfio */
  packageName: string;
  kernel: string;
  sha256: string;
  runtimeVersion: string;
  /**
   * Where the package sits in a uapi-ts checkout: tsconfig.json then extends its tsconfig.base.json
   * and references its runtime project by these relative paths (generated/vfio: ../../...). Without
   * it the package is self-contained: its tsconfig.json carries the compiler options itself and
   * package.json the devDependencies to build it after `npm install`.
   */
  workspace?: { tsconfigBase: string; runtime: string };
}

type Sym = { readonly name: string; readonly from: string };

const ACC: Record<ScalarKind, string> = { u8: 'u8', s8: 's8', u16: 'u16', s16: 's16', u32: 'u32', s32: 's32', u64: 'u64', s64: 's64' };
const is64 = (k: ScalarKind | null): boolean => k === 'u64' || k === 's64';
const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/** A JS literal for a constant value: number when safe, else bigint. */
export function numLit(v: bigint): string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? v.toString() : `${v}n`;
}

/** A single-quoted JS literal for a string of char codes 0-255: printable ASCII as is, the rest escaped. */
export function strLit(v: string): string {
  const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  let out = "'";
  for (const ch of v) {
    const code = ch.charCodeAt(0);
    out += named[ch] ?? (code >= 0x20 && code < 0x7f ? ch : `\\x${code.toString(16).padStart(2, '0')}`);
  }
  return out + "'";
}

function doc(text: string | undefined, generated?: string): OptionalKind<JSDocStructure>[] {
  const parts: string[] = [];
  if (text) parts.push(text.replace(/\*\//g, '*\\/'));
  if (!text && !generated) return [];
  return [{ description: parts.join('\n'), tags: generated ? [{ tagName: 'generated', text: generated }] : [] }];
}

function importsOf(list: readonly Sym[], typeOnly: readonly string[]): ImportDeclarationStructure[] {
  const by = new Map<string, Set<string>>();
  for (const s of list) {
    const set = by.get(s.from) ?? new Set<string>();
    set.add(s.name);
    by.set(s.from, set);
  }
  return [...by.entries()].map(([from, names]) => ({
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: from,
    namedImports: [...names].sort().map((n) => ({ name: n, isTypeOnly: typeOnly.includes(n) })),
  }));
}

function localImport(from: string, names: string[], typeOnly = false): ImportDeclarationStructure {
  return { kind: StructureKind.ImportDeclaration, moduleSpecifier: from, isTypeOnly: typeOnly, namedImports: [...names].sort() };
}

function constStmt(name: string, init: string, opts: { exported?: boolean; type?: string; docs?: OptionalKind<JSDocStructure>[] } = {}): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: opts.exported ?? true,
    declarations: [{ name, initializer: init, ...(opts.type ? { type: opts.type } : {}) }],
    ...(opts.docs && opts.docs.length ? { docs: opts.docs } : {}),
  };
}

/** TypeScript types of a member: what the getter returns and what the setter / init accepts. */
function memberTypes(m: MemberModel, records: Map<string, RecordModel>): { get: string; set: string } {
  const s = m.shape;
  switch (s.kind) {
    case 'scalar':
      if (s.varies) return { get: 'number | bigint', set: 'number | bigint' };
      return is64(s.scalar) ? { get: 'bigint', set: 'bigint' } : { get: 'number', set: 'number' };
    case 'bits':
      return is64(s.scalar) ? { get: 'bigint', set: 'bigint' } : { get: 'number', set: 'number' };
    case 'struct': {
      const r = records.get(s.struct)!;
      return { get: r.className, set: `${r.className}Init` };
    }
    case 'array':
      return is64(s.scalar)
        ? { get: 'BigUint64Array | BigInt64Array | ArrayAccessor<bigint>', set: 'ArrayLike<bigint>' }
        : { get: `${typedArrayOf(s.scalar)} | ArrayAccessor<number>`, set: 'ArrayLike<number>' };
    case 'structArray': {
      const r = records.get(s.struct)!;
      return { get: `ArrayAccessor<${r.className}>`, set: `readonly ${r.className}Init[]` };
    }
    case 'bytes':
      return { get: 'Uint8Array', set: 'ArrayLike<number>' };
  }
}

function typedArrayOf(k: ScalarKind | null): string {
  switch (k) {
    case 'u8': return 'Uint8Array';
    case 's8': return 'Int8Array';
    case 'u16': return 'Uint16Array';
    case 's16': return 'Int16Array';
    case 'u32': return 'Uint32Array';
    case 's32': return 'Int32Array';
    default: return 'Uint8Array';
  }
}

function provenance(model: BindingModel, r: RecordModel): string {
  return `from ${r.tag} ${r.cName} (${model.file}:${r.line})`;
}

export function fileHeader(model: BindingModel, opts: EmitOptions): string {
  return `// Code generated by uapi-ts from ${model.header} (linux ${opts.kernel}, sha256 ${opts.sha256}). DO NOT EDIT.\n`;
}

export function emitPackage(model: BindingModel, opts: EmitOptions): Map<string, string> {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, useTrailingCommas: true },
  });
  const files = new Map<string, string>();
  const head = fileHeader(model, opts);
  const print = (path: string, statements: Stmt[]): void => {
    const sf = project.createSourceFile(path, { statements }, { overwrite: true });
    files.set(path, head + sf.getFullText());
  };
  const records = new Map(model.records.map((r) => [r.cName, r]));
  const abiList = model.abis;

  // ---- layouts.ts: one table per distinct layout, and per-ABI maps of references.
  {
    const st: Stmt[] = [];
    st.push(importsOf([emitSymbols.BindingLayout], [emitSymbols.BindingLayout.name]) [0]!);
    for (const [vname, v] of model.variants) {
      st.push(constStmt(ident(vname), layoutLiteral(v.table), { exported: false, type: 'BindingLayout', docs: [{ description: `${v.table.name} on ${v.abis.join(', ')}` }] }));
    }
    const mapType: InterfaceDeclarationStructure = {
      kind: StructureKind.Interface,
      name: 'AbiLayouts',
      isExported: true,
      docs: [{ description: 'Layout table of every struct on one ABI.' }],
      properties: model.records.map((r) => ({ name: r.cName, type: 'BindingLayout', isReadonly: true })),
    };
    st.push(mapType);
    const groups = groupByAbi(abiList, (abi) => JSON.stringify(model.records.map((r) => r.variantOf[abi])));
    groups.forEach((abis, i) => {
      st.push(constStmt(`LAYOUTS_${i}`, braces(model.records.map((r) => `  ${literalKey(r.cName)}: ${ident(r.variantOf[abis[0]!] ?? '')},`)), { exported: false, type: 'AbiLayouts', docs: [{ description: abis.join(', ') }] }));
    });
    st.push(abiTypeAlias(abiList));
    st.push(constStmt('LAYOUTS', braces(abiList.map((a) => `  ${a}: LAYOUTS_${groups.findIndex((g) => g.includes(a))},`)), { type: 'Readonly<Record<AbiName, AbiLayouts>>', docs: [{ description: 'Per ABI: its layout tables (ABIs with identical layouts share one table).' }] }));
    print('src/layouts.ts', st);
  }

  // ---- constants.ts: ABI-independent constants and enums; ABI-dependent ones as per-ABI tables.
  {
    const st: Stmt[] = [];
    for (const c of model.constants) {
      if (c.value === undefined) continue;
      // C converts a negative constant to unsigned when it meets an unsigned field (`devid ==
      // VFIO_PCI_DEVID_NOT_OWNED`); the views read unsigned fields as non-negative numbers.
      const neg = c.enumName === undefined && c.value < 0n && c.value >= -(1n << 31n) ? `Negative, as in C: an unsigned __u32 field holding it reads as ${c.value & 0xffffffffn}; compare with \`field === (${c.jsName} >>> 0)\`.` : undefined;
      const text = [c.doc, neg].filter((x) => x !== undefined).join('\n\n') || undefined;
      st.push(constStmt(c.jsName, numLit(c.value), { docs: doc(text, `from ${model.file}:${c.line}`) }));
    }
    for (const c of model.strings) {
      const bytes = /[^\x20-\x7e]/.test(c.value) ? 'One char code per byte of the C literal (a latin1 string): `Buffer.from(' + c.jsName + ", 'latin1')` gives the bytes." : undefined;
      const text = [c.doc, bytes].filter((x) => x !== undefined).join('\n\n') || undefined;
      st.push(constStmt(c.jsName, strLit(c.value), { docs: doc(text, `from ${model.file}:${c.line}`) }));
    }
    for (const e of model.enums) {
      // Keys are the C enumerator names; values the constants (renamed ones by their TypeScript name).
      const members = e.members.map((n) => model.constants.find((c) => c.name === n && c.value !== undefined)).filter((c) => c !== undefined);
      st.push(constStmt(e.jsName, `${braces(members.map((c) => (c.jsName === c.name ? `  ${c.name},` : `  ${c.name}: ${c.jsName},`)))} as const`, { docs: doc(e.doc, `from enum ${e.name} (${model.file}:${e.line})`) }));
      st.push({ kind: StructureKind.TypeAlias, name: e.jsName, isExported: true, type: `(typeof ${e.jsName})[keyof typeof ${e.jsName}]` } satisfies TypeAliasDeclarationStructure);
    }
    const dep = model.constants.filter((c) => c.value === undefined);
    st.push({
      kind: StructureKind.Interface,
      name: 'AbiConstants',
      isExported: true,
      docs: [{ description: 'Constants whose value depends on the ABI (ioctl request numbers encode the direction and size differently per architecture).' }],
      properties: dep.map((c) => ({
        name: c.name,
        isReadonly: true,
        type: Object.values(c.perAbi).every((v) => v === BigInt(Number(v)) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER) ? 'number' : 'number | bigint',
        docs: doc(c.doc, `from ${model.file}:${c.line}`),
      })),
    });
    st.push(abiTypeAlias(abiList));
    const groups = groupByAbi(abiList, (abi) => JSON.stringify(dep.map((c) => String(c.perAbi[abi]))));
    groups.forEach((abis, i) => {
      st.push(constStmt(`CONSTANTS_${i}`, braces(dep.map((c) => `  ${literalKey(c.name)}: ${numLit(c.perAbi[abis[0]!] ?? 0n)},`)), { exported: false, type: 'AbiConstants', docs: [{ description: abis.join(', ') }] }));
    });
    st.push(constStmt('ABI_CONSTANTS', braces(abiList.map((a) => `  ${a}: CONSTANTS_${groups.findIndex((g) => g.includes(a))},`)), { type: 'Readonly<Record<AbiName, AbiConstants>>' }));
    print('src/constants.ts', st);
  }

  // ---- meta.ts: capability kinds and ioctls (ABI-independent, inferred from the header).
  {
    const st: Stmt[] = [];
    const kinds = model.capKinds.map((k) => `  ${k.info}: {\n    capsFlag: '${k.capsFlag}',\n    caps: ${k.caps.length ? `[\n${k.caps.map((c) => `      { id: ${c.id}, macro: '${c.macro}', struct: ${c.struct ? `'${c.struct}'` : 'null'}, versions: [${c.versions.join(', ')}] },`).join('\n')}\n    ]` : '[]'},\n  },`);
    st.push(constStmt('CAP_KINDS', `${braces(kinds)} as const`, { docs: [{ description: 'Info structs that carry a capability chain (a cap_offset member and a *_CAPS flag), and the caps each can carry.\nA null struct is a header-only capability (its view is the cap header).' }] }));
    const io = model.ioctls.map((i) => `  ${i.name}: { dir: '${i.dir}', arg: ${i.arg ? `'${i.arg}'` : 'null'}${i.argScalar ? `, argType: '${i.argScalar}'` : ''}${i.byValue ? ', byValue: true' : ''} },`);
    st.push(constStmt('IOCTLS', `${braces(io)} as const`, { docs: [{ description: 'Every ioctl of the header: direction and argument struct, from the doc comment above it.\n`byValue`: the kernel takes the integer argument itself, not a pointer to it (pass a number to Transport.ioctl).' }] }));
    print('src/meta.ts', st);
  }

  // ---- views.ts: per struct an interface (ABI-independent) and a factory parameterized by the ABI's table.
  {
    const st: Stmt[] = [];
    const rt: Sym[] = [emitSymbols.BindingView, emitSymbols.BindingLayout, emitSymbols.ViewClass, emitSymbols.Accessors, emitSymbols.Bytes, emitSymbols.CapEntry, emitSymbols.UnknownCap, emitSymbols.CapItemBase, emitSymbols.WalkOptions,
      emitSymbols.flexArray, emitSymbols.fixedArray, emitSymbols.fixedStructArray, emitSymbols.assignArray, emitSymbols.assignFields, emitSymbols.allocView, emitSymbols.walkCaps, emitSymbols.chainOptionsFor, symbols.ArrayAccessor, symbols.FieldSpec, symbols.ChainOptions, emitSymbols.ScalarKind];
    const typeOnly = ['FieldSpec', 'ScalarKind', 'BindingLayout', 'ViewClass', 'Accessors', 'Bytes', 'CapEntry', 'UnknownCap', 'CapItemBase', 'WalkOptions', 'ChainOptions'];
    st.push(...importsOf(rt, typeOnly));
    for (const r of model.records) st.push(...recordStatements(model, r, records));
    print('src/views.ts', st);
  }

  // ---- bind.ts: every class of one ABI.
  {
    const st: Stmt[] = [];
    // Only what this header uses: a header without structs, caps or ioctls gets no helper for them
    // (an empty CAP_KINDS or IOCTLS would make their key type `never`).
    const hasRecords = model.records.length > 0;
    const hasCaps = model.capKinds.some((k) => k.caps.length > 0);
    const hasIoctls = model.ioctls.length > 0;
    const rtImports: Sym[] = [...(hasRecords ? [emitSymbols.accessors] : []), ...(hasCaps ? [emitSymbols.CapEntry] : [])];
    if (rtImports.length) st.push(importsOf(rtImports, ['CapEntry'])[0]!);
    st.push(localImport('./layouts.js', [...(hasRecords ? ['LAYOUTS'] : []), 'type AbiName']));
    st.push(localImport('./constants.js', ['ABI_CONSTANTS', 'type AbiConstants']));
    if (model.ioctls.some((i) => model.constants.some((c) => c.name === i.name && c.value !== undefined))) {
      st.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: './constants.js', namespaceImport: 'C' });
    }
    const metaNames = [...(hasCaps ? ['CAP_KINDS'] : []), ...(hasIoctls ? ['IOCTLS'] : [])];
    if (metaNames.length) st.push(localImport('./meta.js', metaNames));
    const viewNames = model.records.flatMap((r) => [`make_${r.cName}`, `type ${r.className}Class`]);
    if (viewNames.length) st.push(localImport('./views.js', viewNames));
    const ioctlsWithArg = model.ioctls;
    st.push({
      kind: StructureKind.Interface,
      name: 'Ioctl',
      isExported: true,
      typeParameters: [{ name: 'C', default: 'null' }],
      docs: [{ description: 'An ioctl on one ABI: its request number, argument struct class and the smallest argsz it takes.' }],
      properties: [
        { name: 'request', type: 'number | bigint', isReadonly: true },
        { name: 'arg', type: 'C', isReadonly: true },
        { name: 'minArgsz', type: 'number', isReadonly: true, docs: [{ description: 'offsetofend(last fixed member) of the argument struct (0 without one).' }] },
        { name: 'byValue', type: 'boolean', isReadonly: true, docs: [{ description: 'The kernel takes the integer argument itself (pass a number to Transport.ioctl), not a pointer to it.' }] },
      ],
    });
    st.push({
      kind: StructureKind.Interface,
      name: 'Bindings',
      isExported: true,
      docs: [{ description: 'Every view class, constant table and ioctl of the header on one ABI.' }],
      properties: [
        { name: 'abi', type: 'AbiName', isReadonly: true },
        ...model.records.map((r) => ({ name: r.className, type: `${r.className}Class`, isReadonly: true, docs: doc(undefined, provenance(model, r)) })),
        { name: 'structs', isReadonly: true, type: braces(model.records.map((r) => `  readonly ${r.cName}: ${r.className}Class;`)) },
        { name: 'constants', type: 'AbiConstants', isReadonly: true },
        { name: 'ioctls', isReadonly: true, type: braces(ioctlsWithArg.map((i) => `  readonly ${i.name}: Ioctl<${i.arg && records.has(i.arg) ? `${records.get(i.arg)!.className}Class` : 'null'}>;`)) },
      ],
    });
    const body: string[] = [];
    if (hasRecords) {
      body.push('const t = LAYOUTS[abi];');
      body.push(`const k = accessors(t.${model.records[0]!.cName}.littleEndian);`);
    }
    if (hasCaps) {
      body.push('const caps = (info: keyof typeof CAP_KINDS, classes: Record<string, { layout: unknown }>): readonly CapEntry[] =>');
      body.push(`  CAP_KINDS[info].caps.map((c) => ({ id: c.id, macro: c.macro, struct: c.struct ?? '${capHeaderName(model)}', versions: c.versions, view: classes[c.struct ?? '${capHeaderName(model)}'] as CapEntry['view'] }));`);
    }
    // Struct classes by C name; one named like an Object.prototype member goes in by element access
    // on an object without a prototype (`s.hasOwnProperty = ` does not type-check, `s.__proto__ = ` is not a property).
    const sKey = (n: string): string => (OBJECT_MEMBERS.has(n) ? `s['${n}']` : `s.${n}`);
    const protoNames = model.records.some((r) => OBJECT_MEMBERS.has(r.cName));
    body.push(protoNames ? 'const s = Object.create(null) as Record<string, unknown>;' : 'const s: Record<string, unknown> = {};');
    const chainInfos = new Set(model.capKinds.map((k) => k.info));
    const byClass = new Map(model.records.map((r) => [r.className, r]));
    for (const r of model.records) {
      const deps = depsOf(r, records);
      // make_x(L, k[, nested classes][, caps]): the optional arguments are there only when used.
      const args = [`t.${r.cName}`, 'k'];
      if (deps.length) args.push(`{ ${deps.map((d) => `${d}: ${sKey(byClass.get(d)!.cName)} as ${d}Class`).join(', ')} }`);
      if (chainInfos.has(r.cName)) {
        // A chain whose caps the header does not name still walks: every cap comes back unknown.
        const kind = model.capKinds.find((k) => k.info === r.cName)!;
        args.push(kind.caps.length ? `() => caps('${r.cName}', s as Record<string, { layout: unknown }>)` : '() => []');
      }
      body.push(`${sKey(r.cName)} = make_${r.cName}(${args.join(', ')});`);
    }
    body.push('const structs = s as unknown as Bindings[\'structs\'];');
    body.push('const constants = ABI_CONSTANTS[abi];');
    if (hasIoctls) {
      body.push('const ioctl = (name: keyof typeof IOCTLS, request: number | bigint) => {');
      body.push('  const arg: string | null = IOCTLS[name].arg;');
      body.push('  const C = arg === null ? null : (s as Record<string, { layout: { minArgsz: number } }>)[arg] ?? null;');
      body.push("  return { request, arg: C, minArgsz: C === null ? 0 : C.layout.minArgsz, byValue: 'byValue' in IOCTLS[name] };");
      body.push('};');
    }
    const fixedIoctl = (n: string): ConstantModel | undefined => model.constants.find((c) => c.name === n && c.value !== undefined);
    body.push(`const ioctls = ${braces(ioctlsWithArg.map((i) => `  ${i.name}: ioctl('${i.name}', ${fixedIoctl(i.name) ? `C.${fixedIoctl(i.name)!.jsName}` : `constants.${i.name}`}),`))} as unknown as Bindings['ioctls'];`);
    body.push(`return ${braces(['  abi,', ...model.records.map((r) => `  ${r.className}: structs.${r.cName},`), '  structs,', '  constants,', '  ioctls,'])};`);
    st.push({
      kind: StructureKind.Function,
      name: 'bind',
      isExported: true,
      parameters: [{ name: 'abi', type: 'AbiName' }],
      returnType: 'Bindings',
      docs: [{ description: 'Build the view classes of one ABI from its layout tables (call once; the package entry points do).' }],
      statements: body.join('\n'),
    } satisfies FunctionDeclarationStructure);
    print('src/bind.ts', st);
  }

  // ---- entry points: abi/<abi>.ts and index.ts (host ABI).
  const dep = model.constants.filter((c) => c.value === undefined);
  const entry = (abiExpr: string, rel: string, extra: Stmt[] = []): Stmt[] => {
    const st: Stmt[] = [];
    st.push(importsOf([symbols.checkRuntimeVersion], [])[0]!);
    st.push(localImport(`${rel}bind.js`, ['bind']));
    st.push(...extra);
    st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}constants.js`, namedExports: [...model.constants.filter((c) => c.value !== undefined).map((c) => c.jsName), ...model.strings.map((c) => c.jsName), ...model.enums.map((e) => e.jsName), 'type AbiConstants'] });
    st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}meta.js`, namedExports: ['CAP_KINDS', 'IOCTLS'] });
    st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}layouts.js`, namedExports: ['type AbiName', 'LAYOUTS'] });
    st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}bind.js`, namedExports: ['bind', 'type Bindings', 'type Ioctl'] });
    if (model.records.length) {
      st.push({
        kind: StructureKind.ExportDeclaration,
        isTypeOnly: true,
        moduleSpecifier: `${rel}views.js`,
        namedExports: model.records.flatMap((r) => [`${r.className}Init`, `${r.className}Class`, ...(chainInfos(model).has(r.cName) ? [`${r.className}Cap`] : [])]),
      });
      st.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: `${rel}views.js`, namespaceImport: 'V' });
    }
    // Instance types under the class names (a type alias may share its name with the const).
    for (const r of model.records) st.push({ kind: StructureKind.TypeAlias, name: r.className, isExported: true, type: `V.${r.className}` });
    st.push(`checkRuntimeVersion('${opts.runtimeVersion}');`);
    st.push(constStmt('bindings', `bind(${abiExpr})`, { docs: [{ description: 'Every class, constant and ioctl of this ABI.' }] }));
    st.push(`export const ${braces(['  abi,', ...model.records.map((r) => `  ${r.className},`), '  structs,', '  ioctls,'])} = bindings;`);
    if (dep.length) st.push(`export const ${braces(dep.map((c) => (c.jsName === c.name ? `  ${c.name},` : `  ${c.name}: ${c.jsName},`)))} = bindings.constants;`);
    return st;
  };
  for (const abi of abiList) print(`src/abi/${abi}.ts`, entry(`'${abi}'`, '../'));
  {
    const hostFn: FunctionDeclarationStructure = {
      kind: StructureKind.Function,
      name: 'hostAbi',
      isExported: true,
      returnType: 'AbiName',
      docs: [{ description: "The ABI of this process: process.arch mapped; ppc64's byte order from os.endianness()." }],
      statements: [
        'switch (process.arch) {',
        "  case 'x64': return 'x86_64';",
        "  case 'ia32': return 'i386';",
        "  case 'arm64': return 'aarch64';",
        "  case 'arm': return 'armhf';",
        "  case 's390x': return 's390x';",
        "  case 'ppc64': return endianness() === 'BE' ? 'ppc64' : 'ppc64le';",
        "  case 'riscv64': return 'riscv64';",
        '  default: throw new Error(`' + opts.packageName + ': no bindings for process.arch ${process.arch}; import an explicit ABI from ' + opts.packageName + '/abi/<abi>`);',
        '}',
      ].join('\n'),
    };
    const extra: Stmt[] = [
      { kind: StructureKind.ImportDeclaration, moduleSpecifier: 'node:os', namedImports: ['endianness'] },
      localImport('./layouts.js', ['AbiName'], true),
    ];
    const st = entry('hostAbi()', './', extra);
    st.splice(st.length - 3, 0, hostFn);
    print('src/index.ts', st);
  }

  // ---- package files.
  const pkg = {
    name: opts.packageName,
    version: opts.runtimeVersion,
    description: `TypeScript bindings for ${model.header} (linux ${opts.kernel}) on ${abiList.join(', ')}; generated by uapi-ts`,
    type: 'module',
    license: 'MIT',
    sideEffects: false,
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      ...Object.fromEntries(abiList.map((a) => [`./abi/${a}`, { types: `./dist/abi/${a}.d.ts`, default: `./dist/abi/${a}.js` }])),
      './tables.json': './tables.json',
      './package.json': './package.json',
    },
    files: ['dist', 'src', 'tables.json', 'docs'],
    dependencies: { '@uapi-ts/runtime': opts.runtimeVersion },
  };
  const ws = opts.workspace;
  if (!ws) Object.assign(pkg, { scripts: { build: 'tsc -p .' }, devDependencies: { '@types/node': '>=20', typescript: '>=5.4' } });
  files.set('package.json', JSON.stringify(pkg, null, 2) + '\n');
  files.set('tsconfig.json', JSON.stringify(ws ? {
    extends: ws.tsconfigBase,
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['src'],
    references: [{ path: ws.runtime }],
  } : {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      declaration: true,
      skipLibCheck: true,
      verbatimModuleSyntax: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  }, null, 2) + '\n');
  files.set('tables.json', JSON.stringify(tablesJson(model, opts), null, 1) + '\n');
  return files;
}

/** An object literal or type of the given lines (`{}` without any, not a blank line). */
function braces(lines: readonly string[]): string {
  return lines.length ? `{\n${lines.join('\n')}\n}` : '{}';
}

function chainInfos(model: BindingModel): Set<string> {
  return new Set(model.capKinds.map((k) => k.info));
}

/** The cap header struct (vfio_info_cap_header in vfio.h): the model finds caps only when it found one. */
function capHeaderName(model: BindingModel): string {
  if (model.capHeader === undefined) throw new Error('internal: capabilities without a cap header struct');
  return model.capHeader;
}

export function tablesJson(model: BindingModel, opts: EmitOptions): object {
  return {
    header: model.header,
    kernel: opts.kernel,
    sha256: opts.sha256,
    layouts: Object.fromEntries([...model.variants].map(([n, v]) => [n, v.table])),
    abis: Object.fromEntries(model.abis.map((a) => [a, Object.fromEntries(model.records.map((r) => [r.cName, r.variantOf[a]]))])),
    caps: Object.fromEntries(model.capKinds.map((k) => [k.info, k.caps.map((c) => ({ id: c.id, macro: c.macro, struct: c.struct ?? capHeaderName(model), versions: c.versions }))])),
    constants: Object.fromEntries(model.abis.map((a) => [a, Object.fromEntries(model.constants.filter((c) => c.perAbi[a] !== undefined).map((c) => [c.name, c.perAbi[a]!.toString()]))])),
    ioctls: Object.fromEntries(model.ioctls.map((i) => [i.name, { dir: i.dir, arg: i.arg ?? null }])),
    // String macros (the same on every ABI): one char code per byte of the C literal.
    strings: Object.fromEntries(model.strings.map((c) => [c.name, c.value])),
  };
}

function abiTypeAlias(abis: readonly AbiName[]): TypeAliasDeclarationStructure {
  return { kind: StructureKind.TypeAlias, name: 'AbiName', isExported: true, type: abis.map((a) => `'${a}'`).join(' | ') };
}

function groupByAbi(abis: readonly AbiName[], key: (abi: AbiName) => string): AbiName[][] {
  const m = new Map<string, AbiName[]>();
  for (const a of abis) {
    const k = key(a);
    const g = m.get(k) ?? [];
    g.push(a);
    m.set(k, g);
  }
  return [...m.values()];
}

function ident(vname: string): string {
  return vname.replace(/[^\w$]/g, '_');
}

function layoutLiteral(t: LayoutJsonTable): string {
  // JSON, with nested struct references as identifiers of the variant constants.
  return JSON.stringify(t, null, 2)
    .replace(/"struct": "([^"]+)"/g, (_m, v: string) => `"struct": ${ident(v)}`)
    .replace(/"(\w+)":/g, (_m, k: string) => `${literalKey(k)}:`);
}

function depsOf(r: RecordModel, records: Map<string, RecordModel>): string[] {
  const out = new Set<string>();
  for (const m of r.members) if (m.shape.kind === 'struct' || m.shape.kind === 'structArray') out.add(records.get(m.shape.struct)!.className);
  if (r.flex?.elem.kind === 'struct') out.add(records.get(r.flex.elem.struct)!.className);
  return [...out].sort();
}

function recordStatements(model: BindingModel, r: RecordModel, records: Map<string, RecordModel>): Stmt[] {
  const out: Stmt[] = [];
  const C = r.className;
  const capKind = model.capKinds.find((k) => k.info === r.cName);
  const memberDoc = (m: MemberModel): OptionalKind<JSDocStructure>[] => doc(m.doc ? `${m.doc}\n\nC: \`${m.ctype} ${m.name}\`` : `C: \`${m.ctype} ${m.name}\``);
  // interface
  const iface: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: C,
    isExported: true,
    extends: ['BindingView'],
    docs: doc(r.doc ?? `${r.tag} ${r.cName}`, provenance(model, r)).map((d) => ({ ...d, tags: [...(d.tags ?? []), { tagName: 'see', text: `[byte map on every ABI](../docs/layouts.html#${r.cName})` }] })),
    properties: [],
    getAccessors: [],
    setAccessors: [],
    methods: [],
  };
  for (const m of r.members) {
    const t = memberTypes(m, records);
    if (t.get === t.set) iface.properties!.push({ name: m.jsName, type: t.get, docs: memberDoc(m) });
    else {
      iface.getAccessors!.push({ name: m.jsName, returnType: t.get, docs: memberDoc(m) });
      iface.setAccessors!.push({ name: m.jsName, parameters: [{ name: 'v', type: t.set }] });
    }
  }
  if (r.flex) {
    const f = r.flex;
    const ret = f.elem.kind === 'struct' ? `ArrayAccessor<${records.get(f.elem.struct)!.className}>` : is64(f.elem.scalar) ? 'BigUint64Array | BigInt64Array | ArrayAccessor<bigint>' : `${typedArrayOf(f.elem.scalar)} | ArrayAccessor<number>`;
    iface.methods!.push({
      name: f.jsName,
      parameters: [{ name: 'count', type: 'number', hasQuestionToken: f.countedBy !== undefined }],
      returnType: ret,
      docs: doc(`${f.doc ? `${f.doc}\n\n` : ''}Flexible array member \`${f.ctype} ${f.name}[]\`: ${f.countedBy ? `${f.countedBy} elements unless \`count\` is given` : 'the header does not say which member counts it: pass `count`'}; bounds-checked against the buffer.`),
    });
  }
  if (capKind) {
    iface.methods!.push({
      name: 'caps',
      parameters: [{ name: 'opts', type: 'WalkOptions', hasQuestionToken: true }],
      returnType: `IterableIterator<${C}Cap>`,
      docs: [{ description: `The capability chain (when ${capKind.capsFlag} is set in flags): each known cap narrowed to its view by \`id\` (check \`known\` first).\nStrict alignment by default: a pre-6.6 misaligned chain throws unless \`{ policy: 'compat' }\`.` }],
    });
  }
  out.push(iface);
  // init type
  out.push({
    kind: StructureKind.Interface,
    name: `${C}Init`,
    isExported: true,
    docs: [{ description: `A plain object for \`${C}.alloc()\` or assignment: omitted members stay zero.` }],
    properties: r.members.map((m) => ({ name: m.jsName, hasQuestionToken: true, type: memberTypes(m, records).set })),
  });
  out.push({
    kind: StructureKind.TypeAlias,
    name: `${C}Class`,
    isExported: true,
    type: `ViewClass<${C}, ${C}Init> & { readonly OFFSETS: { readonly [K in ${r.members.length ? r.members.map((m) => `'${m.name}'`).join(' | ') : 'never'}]: number } }` +
      (capKind ? ' & { chainOptions(opts?: WalkOptions): ChainOptions }' : ''),
  });
  if (capKind) {
    const variants = capKind.caps.map((c) => {
      const view = records.get(c.struct ?? capHeaderName(model))!.className;
      return `(CapItemBase & { readonly known: true; readonly id: ${c.id}; readonly macro: '${c.macro}'; readonly name: '${c.struct ?? capHeaderName(model)}'; readonly view: ${view} })`;
    });
    out.push({ kind: StructureKind.TypeAlias, name: `${C}Cap`, isExported: true, type: [...variants, 'UnknownCap'].join('\n  | '), docs: [{ description: `A capability in the chain of ${r.cName}.` }] });
  }
  // factory
  const deps = depsOf(r, records);
  const cls: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: C,
    extends: 'BindingView',
    properties: [
      { name: 'layout', isStatic: true, isReadonly: true, hasOverrideKeyword: true, initializer: 'L' },
      { name: 'SIZE', isStatic: true, isReadonly: true, initializer: 'L.size' },
      { name: 'ALIGN', isStatic: true, isReadonly: true, initializer: 'L.align' },
      { name: 'OFFSETS', isStatic: true, isReadonly: true, initializer: 'O' },
    ],
    ctors: [{ parameters: [{ name: 'buf', type: 'Bytes' }, { name: 'byteOffset', initializer: '0' }], statements: 'super(buf, byteOffset, L.size);' }],
    methods: [
      { name: 'alloc', isStatic: true, parameters: [{ name: 'init', type: `${C}Init`, hasQuestionToken: true }, { name: 'extraBytes', initializer: '0' }], returnType: C, statements: `return allocView(${C}, init, extraBytes);` },
      { name: 'from', isStatic: true, parameters: [{ name: 'buf', type: 'Bytes' }, { name: 'byteOffset', initializer: '0' }], returnType: C, statements: `return new ${C}(buf, byteOffset);` },
    ],
    getAccessors: [],
    setAccessors: [],
  };
  for (const m of r.members) {
    const t = memberTypes(m, records);
    const s = m.shape;
    const o = `O.${m.name}`;
    let get: string;
    let set: string;
    switch (s.kind) {
      case 'scalar':
        if (s.varies) {
          get = `return k.any(this.dv, ${o}, F.${m.name}!.kind as ScalarKind);`;
          set = `k.setAny(this.dv, ${o}, F.${m.name}!.kind as ScalarKind, v);`;
          break;
        }
        get = `return k.${ACC[s.scalar!]}(this.dv, ${o});`;
        set = `k.set${cap(ACC[s.scalar!])}(this.dv, ${o}, v);`;
        break;
      case 'bits':
        get = is64(s.scalar) ? `return k.bits64(this.dv, B.${m.name}!);` : `return k.bits(this.dv, B.${m.name}!);`;
        set = is64(s.scalar) ? `k.setBits64(this.dv, B.${m.name}!, v);` : `k.setBits(this.dv, B.${m.name}!, v);`;
        break;
      case 'struct': {
        const d = records.get(s.struct)!.className;
        get = `return new d.${d}(this.dv, ${o});`;
        set = `assignFields(this.${m.jsName}, v);`;
        break;
      }
      case 'array':
        // The element kind from this ABI's table: plain char is signed on x86, unsigned on arm/ppc/s390/riscv.
        get = `return fixedArray(this.dv, ${o}, F.${m.name}!.kind as ScalarKind, N.${m.name}!, k.le);`;
        set = `assignArray(this.${m.jsName}, v);`;
        break;
      case 'structArray': {
        const d = records.get(s.struct)!.className;
        get = `return fixedStructArray(this.dv, ${o}, N.${m.name}!, d.${d}.SIZE, (dv, off) => new d.${d}(dv, off));`;
        set = `v.forEach((e, i) => assignFields(this.${m.jsName}.get(i), e));`;
        break;
      }
      case 'bytes':
        get = `return new Uint8Array(this.dv.buffer, this.dv.byteOffset + ${o}, F.${m.name}!.size ?? 0);`;
        set = `this.${m.jsName}.set(v);`;
        break;
    }
    cls.getAccessors!.push({ name: m.jsName, returnType: t.get, statements: get });
    cls.setAccessors!.push({ name: m.jsName, parameters: [{ name: 'v', type: t.set }], statements: set });
  }
  if (r.flex) {
    const f = r.flex;
    const make = f.elem.kind === 'struct' ? `, (dv: DataView, off: number) => new d.${records.get(f.elem.struct)!.className}(dv, off)` : '';
    cls.methods!.push({ name: f.jsName, parameters: [{ name: 'count', type: 'number', hasQuestionToken: true }], returnType: iface.methods!.find((x) => x.name === f.jsName)!.returnType as string, statements: `return flexArray(this, L, count${make});` });
  }
  if (capKind) {
    cls.methods!.push({ name: 'caps', parameters: [{ name: 'opts', type: 'WalkOptions', hasQuestionToken: true }], returnType: `IterableIterator<${C}Cap>`, statements: 'return walkCaps(this.dv, L, caps!(), opts);' });
    cls.methods!.push({
      name: 'chainOptions',
      isStatic: true,
      docs: [{ description: `Options for the runtime's own walk and negotiation over this struct's chain (capabilityCursor, negotiateCursor, negotiate): this ABI's offsets, ${capKind.capsFlag}, byte order and caps; strict alignment unless \`{ policy: 'compat' }\`.` }],
      parameters: [{ name: 'opts', type: 'WalkOptions', hasQuestionToken: true }],
      returnType: 'ChainOptions',
      statements: 'return chainOptionsFor(L, caps!(), opts);',
    });
  }
  const usesB = r.members.some((m) => m.shape.kind === 'bits');
  const usesN = r.members.some((m) => m.shape.kind === 'array' || m.shape.kind === 'structArray');
  const usesF = r.members.some((m) => m.shape.kind === 'bytes' || m.shape.kind === 'array' || (m.shape.kind === 'scalar' && m.shape.varies));
  const pre: string[] = [`const O = L.offsets as ${C}Class['OFFSETS'];`];
  if (usesB) pre.push('const B = L.bits ?? {};');
  if (usesN) pre.push('const N = L.counts ?? {};');
  if (usesF) pre.push('const F: Record<string, FieldSpec> = Object.fromEntries(L.fields.map((f) => [f.name, f]));');
  const factory: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: `make_${r.cName}`,
    isExported: true,
    docs: [{ description: `The ${C} class for one ABI's layout table.`, tags: [{ tagName: 'internal' }] }],
    parameters: [
      { name: 'L', type: 'BindingLayout' },
      { name: 'k', type: 'Accessors' },
      ...(deps.length ? [{ name: 'd', type: `{ ${deps.map((x) => `readonly ${x}: ${x}Class`).join('; ')} }` }] : []),
      ...(capKind ? [{ name: 'caps', type: '() => readonly CapEntry[]', hasQuestionToken: true }] : []),
    ],
    returnType: `${C}Class`,
    statements: (w) => {
      for (const p of pre) w.writeLine(p);
      w.writeLine(`return ${printClass(cls)};`);
    },
  };
  out.push(factory);
  return out;
}

/** Print a class structure as an expression (a class declaration printed, then used as a value). */
let scratch: Project | undefined;
function printClass(cls: ClassDeclarationStructure): string {
  scratch ??= new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
  const sf = scratch.createSourceFile('class.ts', { statements: [cls] }, { overwrite: true });
  return sf.getFullText().trimEnd();
}

export type { ConstantModel };
