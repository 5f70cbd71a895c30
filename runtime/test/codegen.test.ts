// @uapi-ts/runtime/codegen-v1 exports exactly what `symbols` lists for it: symbols.ts checks at
// compile time that each entry is exported there; this checks the other way, so an export added to
// codegen-v1 is a symbol the generator knows (and reserves), and the package's exports map has the entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as codegen from '../src/codegen-v1.js';
import { CODEGEN_VERSION, CODEGEN_VERSIONS, symbols } from '../src/index.js';

describe('codegen-v1', () => {
  it('exports the values symbols lists for it, and no others', () => {
    const listed = Object.values(symbols).filter((s) => s.from === '@uapi-ts/runtime/codegen-v1' && !s.typeOnly).map((s) => s.name).sort();
    expect(Object.keys(codegen).sort()).toEqual(listed);
  });

  it('lists its type exports in symbols too', () => {
    const text = readFileSync(new URL('../src/codegen-v1.ts', import.meta.url), 'utf8');
    const typeBlock = /export type \{([^}]*)\}/.exec(text)?.[1] ?? '';
    const types = typeBlock.split(',').map((s) => s.trim()).filter(Boolean).sort();
    const listed = Object.values(symbols).filter((s) => s.from === '@uapi-ts/runtime/codegen-v1' && s.typeOnly).map((s) => s.name).sort();
    expect(types).toEqual(listed);
  });

  it('is the codegen version the generator writes for, served by this runtime and in the exports map', () => {
    expect(CODEGEN_VERSIONS).toContain(CODEGEN_VERSION);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    for (const v of CODEGEN_VERSIONS) expect(pkg.exports[`./codegen-v${v}`]).toEqual({ types: `./dist/codegen-v${v}.d.ts`, default: `./dist/codegen-v${v}.js` });
  });
});
