import { describe, expect, it } from 'vitest';
import { preprocess } from '../../generator/src/preprocess/index.js';
import { evaluate, ExprError } from '../../generator/src/preprocess/expr.js';
import { tokenize } from '../../generator/src/preprocess/tokens.js';
import { ANNOTATION_MACROS } from '../../generator/src/pipeline.js';
import { memAnalyze } from '../support/mem.js';

function pp(files: Record<string, string>, entry = 'main.h', predefined: Record<string, string> = {}) {
  return preprocess({ entry, includeDirs: ['d'], predefined, builtins: ANNOTATION_MACROS, read: (p) => files[p.replace(/^d\//, '')] });
}
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

describe('preprocess', () => {
  it('expands object-like, function-like, variadic macros with # and ##', () => {
    const r = pp({
      'main.h': [
        '#define A 1 + B',
        '#define B 2',
        '#define CAT(a, b) a ## b',
        '#define STR(x) #x',
        '#define V(fmt, ...) f(fmt, ## __VA_ARGS__)',
        'int x = A; int CAT(y, z) = 3; char *s = STR(a "b"); V(1); V(1, 2, 3);',
      ].join('\n'),
    });
    expect(r.diagnostics).toEqual([]);
    expect(squash(r.text)).toBe('int x = 1 + 2 ; int yz = 3 ; char * s = "a \\"b\\"" ; f ( 1 ) ; f ( 1 , 2 , 3 ) ;');
  });

  it('does not expand a macro inside its own expansion', () => {
    const r = pp({ 'main.h': '#define foo foo + 1\n#define f(x) x f\nint a = foo; f(f)(1);' });
    expect(squash(r.text)).toBe('int a = foo + 1 ; f f ( 1 ) ;');
  });

  it('evaluates #if with defined(), arithmetic and predefined macros', () => {
    const r = pp(
      {
        'main.h': [
          '#if defined(__x86_64__) && (1 << 3) == 8 && !defined(NOPE)',
          'int yes;',
          '#elif 1',
          'int no1;',
          '#else',
          'int no2;',
          '#endif',
          '#ifdef NOPE',
          'int no3;',
          '#elif __SIZEOF_LONG__ * 8 == 64',
          'int long64;',
          '#endif',
        ].join('\n'),
      },
      'main.h',
      { __x86_64__: '1', __SIZEOF_LONG__: '8' },
    );
    expect(squash(r.text)).toBe('int yes ; int long64 ;');
  });

  it('applies #define and #undef in order', () => {
    const r = pp({ 'main.h': '#define X 1\nint a = X;\n#undef X\n#define X 2\nint b = X;' });
    expect(squash(r.text)).toBe('int a = 1 ; int b = 2 ;');
  });

  it('follows includes, with include guards, and records where each token came from', () => {
    const r = pp({
      'main.h': '#include <sub/a.h>\n#include "sub/a.h"\nint m;',
      'sub/a.h': '#ifndef A_H\n#define A_H\n\nint a;\n#endif',
    });
    expect(squash(r.text)).toBe('int a ; int m ;');
    const first = r.tokens[0]!.token.loc;
    expect(first).toEqual({ file: 'd/sub/a.h', line: 4, col: 1 });
    expect(r.locate(0, 4)).toEqual({ file: 'd/sub/a.h', line: 4, col: 5 });
  });

  it('maps kernel annotations to attributes the layout uses, whatever the header defines', () => {
    const r = pp({
      'main.h': '#define __counted_by(m)\nstruct s { int n; int a[] __counted_by(n); __DECLARE_FLEX_ARRAY(char, d); char __user *p; };',
    });
    expect(squash(r.text)).toBe('struct s { int n ; int a [ ] __attribute__ ( ( __counted_by__ ( n ) ) ) ; char d [ ] ; char * p ; } ;');
  });

  it('reports problems with file, line and column', () => {
    const r = pp({ 'main.h': '\n  #include <missing.h>\n#if 1 +\n#endif\n#error stop here\n#if 1\n' });
    const where = r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`);
    expect(where).toEqual([
      'd/main.h:2:12 pp-include-not-found',
      'd/main.h:3:7 pp-if', // at the dangling '+'
      'd/main.h:5:1 pp-error',
      'd/main.h:6:1 pp-directive',
    ]);
  });

  it('skips a UTF-8 byte order mark at the start of a file, also in an included file', () => {
    const r = pp({ 'main.h': '\uFEFF#define X 1\n#include <sub/a.h>\nint a = X;', 'sub/a.h': '\uFEFF#include "b.h"\nint c = Y;', 'sub/b.h': '#define Y 2' });
    expect(r.diagnostics).toEqual([]);
    expect(squash(r.text)).toBe('int c = 2 ; int a = 1 ;');
    expect(r.tokens[0]!.token.loc).toEqual({ file: 'd/sub/a.h', line: 2, col: 1 });
  });

  it('reports an unterminated comment where it starts, and drops nothing silently', () => {
    const r = pp({ 'main.h': 'int a;\n  /* never closed\nint b;\n' });
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`)).toEqual(['d/main.h:2:3: error: unterminated comment']);
  });

  it('hands the parser each #pragma pack change in an active group, where it is in the output', () => {
    const r = pp({
      'main.h': '#include "a.h"\n#include "a.h"\n#if 0\n#pragma pack(2)\n#endif\nint b;\n#pragma pack(pop)\nint c;\n#pragma pack(4)\n',
      'a.h': '#pragma once\n#pragma pack(push, 1)\nint a;',
    });
    expect(r.diagnostics).toEqual([]);
    expect(squash(r.text)).toBe('int a ; int b ; int c ;');
    expect(r.packChanges.map((c) => [c.row, c.col, c.align, `${c.loc.line}:${c.loc.col}`])).toEqual([
      [0, 0, 1, '2:9'],
      [2, 0, 0, '7:9'],
      [3, 0, 4, '9:9'], // after the last token: past the end of the output
    ]);
    expect(r.packAt(0, 0).align).toBe(1);
    expect(r.packAt(1, 4).align).toBe(1);
    expect(r.packAt(2, 0).align).toBe(0);
  });

  it('diagnoses #if expressions nested past 256 levels instead of overflowing the stack', () => {
    const parens = (n: number): string => '('.repeat(n) + '1' + ')'.repeat(n);
    const r = pp({
      'main.h': [
        `#if ${parens(256)}`,
        'int ok;',
        '#endif',
        `#if ${parens(257)}`,
        '#endif',
        `#if ${parens(5000)}`,
        '#endif',
        `#if ${'- '.repeat(5000)}1`,
        '#endif',
        `#if ${'1 ? 1 : '.repeat(50000)}1`,
        '#endif',
        `#if ${'1 + ('.repeat(5000)}1${')'.repeat(5000)}`,
        '#endif',
      ].join('\n'),
    });
    expect(squash(r.text)).toBe('int ok ;');
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual([
      '4:261: cannot evaluate #if: expression nested too deeply', // at the 257th '('
      '6:261: cannot evaluate #if: expression nested too deeply',
      '8:517: cannot evaluate #if: expression nested too deeply', // at the 257th '-'
      '10:2055: cannot evaluate #if: expression nested too deeply', // at the 257th '?'
      '12:1289: cannot evaluate #if: expression nested too deeply',
    ]);
  });

  it('diagnoses macro expansions and macro arguments nested past 256 levels', () => {
    const chain = (n: number): string[] => ['#define A0 1', ...Array.from({ length: n }, (_, i) => `#define A${i + 1} A${i}`)];
    const ok = pp({ 'main.h': [...chain(255), 'int x = A255;', '#define F(x) x', `int y = ${'F('.repeat(255)}2${')'.repeat(255)};`].join('\n') });
    expect(ok.diagnostics).toEqual([]);
    expect(squash(ok.text)).toBe('int x = 1 ; int y = 2 ;');
    const r = pp({
      'main.h': [
        ...chain(3000),
        'int x = A3000;',
        '#define F(x) x',
        `int y = ${'F('.repeat(5000)}2${')'.repeat(5000)};`,
        '#define G(x) (x)',
        `#if ${'G('.repeat(5000)}1${')'.repeat(5000)}`,
        '#endif',
      ].join('\n'),
    });
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.code}: ${d.message}`)).toEqual([
      "3002:9: pp-macro-depth: macro expansion nested too deeply (more than 256 levels) at 'A2744'",
      '3004:521: pp-macro-depth: macro arguments nested too deeply (more than 256 levels)', // at the 257th nested 'F'
      '3006:517: pp-macro-depth: macro arguments nested too deeply (more than 256 levels)',
      "3006:6: pp-if: cannot evaluate #if: unexpected '(' in constant expression",
    ]);
  });

  it('diagnoses a deeply nested macro constant where it is used, without a crash', () => {
    const a = memAnalyze({ 'x.h': `#define X ${'('.repeat(3000)}1${')'.repeat(3000)}\nstruct a { int x[X]; };\n` }, 'x.h');
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // Where X is used (the array length), and, as a constant of the header, where it is defined.
    expect(errors.every((d) => d.file === 'inc/x.h' && d.message.endsWith('expression nested too deeply'))).toBe(true);
    expect(errors.map((d) => `${d.line}:${d.col}`).sort()).toEqual(['1:9', '2:18']);
  });

  it('reports misordered and unterminated conditionals where gcc does, skipping what gcc skips', () => {
    const r = pp({
      'main.h': '#if 0\n#else\nint a;\n#else\nint no;\n#elif 1\nint no2;\n#endif\n#include "b.h"\nint c;\n',
      'b.h': 'int b;\n#ifdef X\n#elif 1\n',
    });
    expect(squash(r.text)).toBe('int a ; int b ; int c ;');
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`)).toEqual([
      'd/main.h:4:2: error: #else after #else',
      'd/main.h:1:1: note: the conditional began here',
      'd/main.h:6:2: error: #elif after #else',
      'd/main.h:1:1: note: the conditional began here',
      'd/b.h:2:1: error: unterminated #elif',
    ]);
  });

  it('warns when a macro is redefined differently, also across files, and uses the new definition', () => {
    const r = pp(
      { 'main.h': '#include "a.h"\n#define A 1\n#define B (2)\n#define P 1\nint a = A, b = B;', 'a.h': '#define A 1\n#define B 2\n' },
      'main.h',
      { P: '1', Q: '1' },
    );
    expect(squash(r.text)).toBe('int a = 1 , b = ( 2 ) ;');
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`)).toEqual([
      'd/main.h:3:9: warning: "B" redefined',
      'd/a.h:2:9: note: this is the location of the previous definition',
    ]);
  });

  it('treats _Pragma("...") as #pragma: once and pack work, others vanish', () => {
    const r = pp({
      'main.h': '#include "a.h"\n#include "a.h"\n#define PACK(n) _Pragma(#n)\nPACK(pack(push, 1))\n_Pragma(L"GCC diagnostic \\"x\\"") int b;\n_Pragma(1)\n',
      'a.h': '#define ONCE _Pragma("once")\nONCE\n_Pragma("GCC diagnostic push") int a;\n',
    });
    expect(squash(r.text)).toBe('int a ; int b ; ( 1 )');
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`)).toEqual([
      'd/main.h:6:9: error: _Pragma takes a parenthesized string literal',
    ]);
    expect(r.packChanges.map((c) => [c.row, c.col, c.align])).toEqual([[1, 0, 1]]); // before `int b`
  });
});

describe('errors used for control flow', () => {
  it('ExprError names itself and carries the token where evaluation failed', () => {
    const toks = tokenize('1 / 0', 'x.h').lines[0]!.tokens;
    let caught: unknown;
    try {
      evaluate(toks, { model: { longBits: 64 }, preprocessor: true, ident: () => undefined });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ExprError);
    const e = caught as ExprError;
    expect(e.name).toBe('ExprError');
    expect(String(e)).toBe('ExprError: division by zero in constant expression');
    expect([e.token?.text, e.token?.loc]).toEqual(['/', { file: 'x.h', line: 1, col: 3 }]);
  });
});
