/**
 * Print a BindingModel as a TypeScript package with ts-morph: structures built in memory, printed,
 * returned as path -> content (the CLI writes them). Deterministic: no timestamps, no tool versions.
 * One file of files/ per output file; the helpers they share are in print.ts.
 */
import type { BindingModel } from './model/index.js';
import type { EmitOptions } from './options.js';
import { createPrinter, fileHeader, type Stmt } from './print.js';
import { bindFile } from './files/bind.js';
import { constantsFile } from './files/constants.js';
import { abiEntryFile, indexFile } from './files/entries.js';
import { layoutsFile } from './files/layouts.js';
import { metaFile } from './files/meta.js';
import { LICENSE_TEXT, packageJson, readmeMd, tablesJsonFile, tsconfigJson } from './files/package.js';
import { viewsFile } from './files/views.js';

export type { EmitOptions } from './options.js';
export type { ConstantModel } from './model/index.js';
export { fileHeader, numLit, strLit } from './print.js';
export { tablesJson } from './files/package.js';

/** Every file of the package, path -> content, in a fixed order. */
export function emitPackage(model: BindingModel, opts: EmitOptions): Map<string, string> {
  const print = createPrinter(fileHeader(model, opts));
  const files = new Map<string, string>();
  const source = (path: string, statements: Stmt[]): void => void files.set(path, print(path, statements));
  source('src/layouts.ts', layoutsFile(model));
  source('src/constants.ts', constantsFile(model));
  source('src/meta.ts', metaFile(model));
  source('src/views.ts', viewsFile(model));
  source('src/bind.ts', bindFile(model));
  for (const abi of model.abis) source(`src/abi/${abi}.ts`, abiEntryFile(model, opts, abi));
  source('src/index.ts', indexFile(model, opts));
  files.set('package.json', packageJson(model, opts));
  files.set('README.md', readmeMd(model, opts));
  files.set('LICENSE', LICENSE_TEXT);
  files.set('tsconfig.json', tsconfigJson(opts));
  files.set('tables.json', tablesJsonFile(model, opts));
  return files;
}
