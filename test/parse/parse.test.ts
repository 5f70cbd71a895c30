import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { parseC } from '../../generator/src/parse/index.js';
import { memAnalyze } from '../support/mem.js';
import { REPO } from '../support/trees.js';

describe('parse', () => {
  it('loads the pinned tree-sitter-c grammar', () => {
    const root = parseC('struct s { int a : 3; };');
    expect(root.type).toBe('translation_unit');
    expect(root.hasError).toBe(false);
  });

  it('builds the IR: anonymous and nested records, bitfields, arrays, flexible arrays, enums, docs', () => {
    const a = memAnalyze(
      {
        'x.h': [
          'typedef unsigned int __u32;',
          '/* The thing. */',
          'struct thing {',
          '\t__u32 n; /* count */',
          '\tunion { __u32 a; struct { __u32 lo : 3, hi : 5; }; };',
          '\tstruct inner { char c; } in[2][3];',
          '\t__u32 items[] __attribute__((counted_by(n)));',
          '};',
          'enum e { E0, E1 = 5, E2 };',
        ].join('\n'),
      },
      'x.h',
    );
    expect(a.diagnostics).toEqual([]);
    const thing = a.ir.records.find((r) => r.name === 'thing')!;
    expect(thing.doc).toBe('The thing.');
    expect(thing.loc).toMatchObject({ line: 3, col: 1 });
    expect(thing.fields.map((f) => f.name)).toEqual(['n', null, 'in', 'items']);
    expect(thing.fields[0]!.doc).toBe('count');
    expect(thing.fields[2]!.type).toMatchObject({ kind: 'array', length: 2, of: { kind: 'array', length: 3 } });
    expect(thing.fields[3]!.attrs.countedBy).toBe('n');
    const bits = a.ir.records.find((r) => r.fields.some((f) => f.name === 'lo'))!;
    expect(bits.fields.map((f) => [f.name, f.bitWidth])).toEqual([['lo', 3], ['hi', 5]]);
    expect(a.laid.constants.filter((c) => c.kind === 'enum').map((c) => `${c.name}=${c.value}`)).toEqual(['E0=0', 'E1=5', 'E2=6']);
  });
});

describe('doc comments', () => {
  it('a trailing comment documents its own line, not the declaration below it; a member with both gets both', () => {
    const a = memAnalyze(
      {
        'x.h': [
          'typedef unsigned short __u16;',
          'typedef unsigned int __u32;',
          'struct cap {',
          '\t__u16\tid;\t\t/* Identifies capability */',
          '\t__u16\tversion;\t/* Version specific to the capability ID */',
          '\t__u32\tnext;\t\t/* Offset of next capability */',
          '\t__u32\tflags;\t\t/* spans',
          '\t\t\t\t * two lines */',
          '\t__u32\tbare;',
          '\t/* Leading, on a line of its own. */',
          '\t__u32\tled; /* and a trailing one */',
          '};',
          '#define F_A (1 << 0) /* first flag */',
          '#define F_B (1 << 1) /* second flag */',
          '#define F_C (1 << 2)',
        ].join('\n'),
      },
      'x.h',
    );
    expect(a.diagnostics).toEqual([]);
    const cap = a.ir.records.find((r) => r.name === 'cap')!;
    expect(cap.fields.map((f) => [f.name, f.doc])).toEqual([
      ['id', 'Identifies capability'],
      ['version', 'Version specific to the capability ID'],
      ['next', 'Offset of next capability'],
      ['flags', 'spans\ntwo lines'],
      ['bare', undefined],
      ['led', 'Leading, on a line of its own.\n\nand a trailing one'],
    ]);
    expect(a.ir.macros.map((m) => [m.name, m.doc])).toEqual([
      ['F_A', 'first flag'],
      ['F_B', 'second flag'],
      ['F_C', undefined],
    ]);
  });
});

/**
 * Error fixtures: a bad header whose first lines (`// expect: LINE:COL: severity: text`) list
 * the diagnostics it must produce, and every diagnostic it produces must be listed, so nothing
 * extra slips in either (as the preprocess fixtures). The declaration it breaks is not laid out
 * (`// unsupported:` names it), and declarations beside it are (`// laid-out:`).
 * `// known wrong: LINE:COL: severity: text` lists a diagnostic we give that gcc does not, with
 * why on the next line: tolerated, and it must still occur, so fixing it means deleting the line.
 */
describe('error fixtures', () => {
  const dir = join(REPO, 'test/fixtures/errors');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.h'))) {
    it(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const expected = [...text.matchAll(/^\/\/ expect: (.*)$/gm)].map((m) => m[1]!);
      const knownWrong = [...text.matchAll(/^\/\/ known wrong: (.*)$/gm)].map((m) => m[1]!);
      expect(expected.length).toBeGreaterThan(0);
      const a = memAnalyze({ [name]: text }, name);
      const got = a.diagnostics.map((d) => formatDiagnostic(d).replace(`inc/${name}:`, ''));
      for (const e of expected) expect(got.some((g) => g.startsWith(e)), `${e}\n  in\n${got.join('\n')}`).toBe(true);
      for (const g of got) expect([...expected, ...knownWrong].some((e) => g.startsWith(e)), `unexpected ${g}`).toBe(true);
      for (const w of knownWrong) expect(got.some((g) => g.startsWith(w)), `known wrong '${w}' is no longer given: delete its line`).toBe(true);
      expect(a.diagnostics.every((d) => d.file === `inc/${name}` || d.file.startsWith('<'))).toBe(true);
      // `// unsupported: struct x`: the broken declaration is kept and marked, never dropped.
      // `// laid-out: struct y`: a good declaration beside it is still laid out.
      const record = (spec: string) => {
        const r = a.ir.records.find((x) => x.complete && `${x.tag} ${x.name}` === spec);
        expect(r, `${spec} is in the IR`).toBeDefined();
        return a.laid.records.get(r!.id)!;
      };
      for (const m of text.matchAll(/^\/\/ unsupported: (.*)$/gm)) expect(record(m[1]!).unsupported, `${m[1]} is unsupported`).toBeDefined();
      for (const m of text.matchAll(/^\/\/ laid-out: (.*)$/gm)) expect(record(m[1]!).unsupported, `${m[1]} is laid out`).toBeUndefined();
    });
  }
});

describe('attributes tree-sitter cannot place', () => {
  it('an attribute before an initializer (asm/amd_hsmp.h) does not swallow the records after it', () => {
    const a = memAnalyze(
      {
        'x.h': [
          'struct d { int a, b; };',
          'static const struct d t[]',
          '\t\t__attribute__((unused)) = {',
          '\t/* comment */',
          '\t{0, 1},',
          '\t{2, 3}',
          '};',
          'struct after { char c; int x; };',
          'int eq __attribute__ ((unused)) = 1 == 1;',
        ].join('\n'),
      },
      'x.h',
    );
    expect(a.diagnostics.map(formatDiagnostic)).toEqual([]);
    const after = a.ir.records.find((r) => r.name === 'after')!;
    expect(after.loc).toMatchObject({ line: 8, col: 1 });
    expect(a.laid.records.get(after.id)!.size).toBe(8);
  });
});
