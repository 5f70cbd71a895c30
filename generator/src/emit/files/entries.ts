/**
 * The package's entry points: src/abi/<abi>.ts for each ABI, and src/index.ts, which binds the ABI
 * of the running process. Both check that the runtime serves their codegen version, bind once and
 * re-export everything.
 */
import { StructureKind, type FunctionDeclarationStructure } from 'ts-morph';
import { CODEGEN_VERSION, symbols } from '@uapi-ts/runtime';
import type { AbiName } from '../../layout/abi/index.js';
import type { BindingModel } from '../model/index.js';
import type { EmitOptions } from '../options.js';
import { braces, constStmt, importsOf, localImport, type Stmt } from '../print.js';

/** src/abi/<abi>.ts: the bindings of one ABI. */
export function abiEntryFile(model: BindingModel, opts: EmitOptions, abi: AbiName): Stmt[] {
  return entry(model, opts, `'${abi}'`, '../');
}

/** src/index.ts: the bindings of the host's ABI (hostAbi() maps process.arch). */
export function indexFile(model: BindingModel, opts: EmitOptions): Stmt[] {
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
  const st = entry(model, opts, 'hostAbi()', './', extra);
  // Before the third statement from the end: after checkRuntimeVersion() when the package has
  // ABI-dependent constants (the last statement exports them), else before it.
  st.splice(st.length - 3, 0, hostFn);
  return st;
}

/** An entry point's statements: `abiExpr` picks the ABI, `rel` leads to src/, `extra` after the first imports. */
function entry(model: BindingModel, opts: EmitOptions, abiExpr: string, rel: string, extra: Stmt[] = []): Stmt[] {
  const dep = model.constants.filter((c) => c.value === undefined);
  const chainInfos = new Set(model.capKinds.map((k) => k.info));
  const st: Stmt[] = [];
  st.push(importsOf([symbols.checkRuntimeVersion])[0]!);
  st.push(localImport(`${rel}bind.js`, ['bind']));
  st.push(...extra);
  st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}constants.js`, namedExports: [...model.constants.filter((c) => c.value !== undefined).map((c) => c.jsName), ...model.strings.map((c) => c.jsName), ...model.enums.map((e) => e.jsName), 'type AbiConstants'] });
  st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}meta.js`, namedExports: ['CAP_KINDS', 'IOCTLS', ...(model.features.length > 0 ? ['FEATURES'] : [])] });
  st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}layouts.js`, namedExports: ['type AbiName', 'LAYOUTS'] });
  const carriers = model.features.map((f) => `type ${model.records.find((r) => r.cName === f.carrier)!.className}Payloads`);
  st.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `${rel}bind.js`, namedExports: ['bind', 'type Bindings', 'type Ioctl', ...carriers] });
  if (model.records.length) {
    st.push({
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: `${rel}views.js`,
      namedExports: model.records.flatMap((r) => [`${r.className}Init`, `${r.className}Class`, ...(chainInfos.has(r.cName) ? [`${r.className}Cap`] : [])]),
    });
    st.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: `${rel}views.js`, namespaceImport: 'V' });
  }
  // Instance types under the class names (a type alias may share its name with the const).
  for (const r of model.records) st.push({ kind: StructureKind.TypeAlias, name: r.className, isExported: true, type: `V.${r.className}` });
  st.push(`checkRuntimeVersion(${CODEGEN_VERSION});`);
  st.push(constStmt('bindings', `bind(${abiExpr})`, { docs: [{ description: 'Every class, constant and ioctl of this ABI.' }] }));
  st.push(`export const ${braces(['  abi,', ...model.records.map((r) => `  ${r.className},`), '  structs,', '  ioctls,', ...(model.features.length > 0 ? ['  features,'] : [])])} = bindings;`);
  if (dep.length) st.push(`export const ${braces(dep.map((c) => (c.jsName === c.name ? `  ${c.name},` : `  ${c.name}: ${c.jsName},`)))} = bindings.constants;`);
  return st;
}
