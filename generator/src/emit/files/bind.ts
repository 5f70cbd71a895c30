/**
 * src/bind.ts of the package: bind(abi) builds every view class of one ABI from its layout tables
 * and returns them with the ABI's constants and ioctls (request number, argument class, minArgsz).
 */
import { StructureKind, type FunctionDeclarationStructure } from 'ts-morph';
import { symbols, type SymbolEntry } from '@uapi-ts/runtime';
import { OBJECT_MEMBERS } from '../names.js';
import type { BindingModel, ConstantModel } from '../model/index.js';
import { braces, capHeaderName, doc, importsOf, localImport, provenance, type Stmt } from '../print.js';
import { depsOf } from './views.js';

export function bindFile(model: BindingModel): Stmt[] {
  const records = new Map(model.records.map((r) => [r.cName, r]));
  const st: Stmt[] = [];
  // Only what this header uses: a header without structs, caps or ioctls gets no helper for them
  // (an empty CAP_KINDS or IOCTLS would make their key type `never`).
  const hasRecords = model.records.length > 0;
  const hasCaps = model.capKinds.some((k) => k.caps.length > 0);
  const hasIoctls = model.ioctls.length > 0;
  const hasFeatures = model.features.length > 0;
  const rtImports: SymbolEntry[] = [...(hasRecords ? [symbols.accessors] : []), ...(hasCaps ? [symbols.CapEntry] : []), ...(hasFeatures ? [symbols.featureHelpers, symbols.FeatureHelpers] : [])];
  if (rtImports.length) st.push(importsOf(rtImports)[0]!);
  st.push(localImport('./layouts.js', [...(hasRecords ? ['LAYOUTS'] : []), 'type AbiName']));
  st.push(localImport('./constants.js', ['ABI_CONSTANTS', 'type AbiConstants']));
  if (model.ioctls.some((i) => model.constants.some((c) => c.name === i.name && c.value !== undefined))) {
    st.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: './constants.js', namespaceImport: 'C' });
  }
  const metaNames = [...(hasCaps ? ['CAP_KINDS'] : []), ...(hasIoctls ? ['IOCTLS'] : []), ...(hasFeatures ? ['FEATURES'] : [])];
  if (metaNames.length) st.push(localImport('./meta.js', metaNames));
  const viewNames = model.records.flatMap((r) => [`make_${r.cName}`, `type ${r.className}Class`]);
  if (viewNames.length) st.push(localImport('./views.js', viewNames));
  const ioctlsWithArg = model.ioctls;
  // Request numbers are `number` when every ioctl's fits one on every ABI (the _IOC encoding is 32
  // bits, so in practice always); `number | bigint` only for a header where one does not.
  const fits = (v: bigint): boolean => v === BigInt(Number(v)) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER;
  const requestType = model.ioctls.every((i) => model.constants.filter((c) => c.name === i.name).every((c) => (c.value !== undefined ? fits(c.value) : Object.values(c.perAbi).every(fits))))
    ? 'number'
    : 'number | bigint';
  st.push({
    kind: StructureKind.Interface,
    name: 'Ioctl',
    isExported: true,
    typeParameters: [{ name: 'C', default: 'null' }],
    docs: [{ description: 'An ioctl on one ABI: its request number, argument struct class and the smallest argsz it takes.' }],
    properties: [
      { name: 'name', type: 'string', isReadonly: true, docs: [{ description: "The ioctl's C name: pass the whole Ioctl (not only `request`) to Transport.ioctl or negotiate() and their errors name it." }] },
      { name: 'request', type: requestType, isReadonly: true, docs: [{ description: requestType === 'number' ? 'The request number on this ABI (every ioctl of the header fits a number on every ABI).' : 'The request number on this ABI (a bigint where it does not fit a number).' }] },
      { name: 'arg', type: 'C', isReadonly: true },
      { name: 'minArgsz', type: 'number', isReadonly: true, docs: [{ description: 'offsetofend(last fixed member) of the argument struct (0 without one).' }] },
      { name: 'byValue', type: 'boolean', isReadonly: true, docs: [{ description: 'The kernel takes the integer argument itself (pass a number to Transport.ioctl), not a pointer to it.' }] },
    ],
  });
  for (const f of model.features) {
    st.push({
      kind: StructureKind.Interface,
      name: `${records.get(f.carrier)!.className}Payloads`,
      isExported: true,
      docs: [{ description: `The payload class of each ${f.ioctl} feature id carried in struct ${f.carrier} (null: none, or raw bytes).` }],
      properties: f.ids.map((e) => ({ name: e.macro, isReadonly: true, type: e.payload === null ? 'null' : `${records.get(e.payload)!.className}Class` })),
    });
  }
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
      ...(hasFeatures
        ? [{
            name: 'features',
            isReadonly: true,
            docs: [{ description: 'Typed builders and readers of feature carriers: `features.vfio_device_feature.build(id, flags, payload)` and `.read(feature, id)`.' }],
            type: braces(model.features.map((f) => `  readonly ${f.carrier}: FeatureHelpers<InstanceType<${records.get(f.carrier)!.className}Class>, ${records.get(f.carrier)!.className}Payloads>;`)),
          }]
        : []),
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
    body.push(`const ioctl = (name: keyof typeof IOCTLS, request: ${requestType}) => {`);
    body.push('  const arg: string | null = IOCTLS[name].arg;');
    body.push('  const C = arg === null ? null : (s as Record<string, { layout: { minArgsz: number } }>)[arg] ?? null;');
    body.push("  return { name, request, arg: C, minArgsz: C === null ? 0 : C.layout.minArgsz, byValue: 'byValue' in IOCTLS[name] };");
    body.push('};');
  }
  const fixedIoctl = (n: string): ConstantModel | undefined => model.constants.find((c) => c.name === n && c.value !== undefined);
  body.push(`const ioctls = ${braces(ioctlsWithArg.map((i) => `  ${i.name}: ioctl('${i.name}', ${fixedIoctl(i.name) ? `C.${fixedIoctl(i.name)!.jsName}` : `constants.${i.name}`}),`))} as unknown as Bindings['ioctls'];`);
  if (hasFeatures) {
    body.push(`const features = ${braces(model.features.map((f) => `  ${f.carrier}: featureHelpers({ view: structs.${f.carrier}, idMask: FEATURES.${f.carrier}.idMask }, FEATURES.${f.carrier}.ids, s),`))} as unknown as Bindings['features'];`);
  }
  body.push(`return ${braces(['  abi,', ...model.records.map((r) => `  ${r.className}: structs.${r.cName},`), '  structs,', '  constants,', '  ioctls,', ...(hasFeatures ? ['  features,'] : [])])};`);
  st.push({
    kind: StructureKind.Function,
    name: 'bind',
    isExported: true,
    parameters: [{ name: 'abi', type: 'AbiName' }],
    returnType: 'Bindings',
    docs: [{ description: 'Build the view classes of one ABI from its layout tables (call once; the package entry points do).' }],
    statements: body.join('\n'),
  } satisfies FunctionDeclarationStructure);
  return st;
}
