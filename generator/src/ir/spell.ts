/** C spelling of IR types, as a declaration would write them (reports, bindings, diffs). */
import type { IrModule, TypeRef } from './types.js';

const INT_SPELLING: Record<string, string> = {
  char: 'char', schar: 'signed char', uchar: 'unsigned char', short: 'short', ushort: 'unsigned short',
  int: 'int', uint: 'unsigned int', long: 'long', ulong: 'unsigned long', llong: 'long long',
  ullong: 'unsigned long long', int128: '__int128', uint128: 'unsigned __int128', bool: '_Bool',
};

/** C spelling of a type as it was declared: typedef names kept, anonymous records as "struct"/"union". */
export function spellType(t: TypeRef, ir: Pick<IrModule, 'records' | 'enums'>): string {
  switch (t.kind) {
    case 'int':
      return INT_SPELLING[t.int]! + (t.complex ? ' _Complex' : '');
    case 'float':
      return (t.float === 'ldouble' ? 'long double' : t.float) + (t.complex ? ' _Complex' : '');
    case 'void':
      return 'void';
    case 'pointer':
      return t.to.kind === 'function' ? 'void (*)()' : `${spellType(t.to, ir)} *`;
    case 'function':
      return 'function';
    case 'array': {
      const dims: string[] = [];
      let e: TypeRef = t;
      while (e.kind === 'array') {
        dims.push(e.lengthExpr !== undefined ? `[${e.lengthExpr}]` : e.length === null ? '[]' : `[${e.length}]`);
        e = e.of;
      }
      return `${spellType(e, ir)}${dims.join('')}`;
    }
    case 'record': {
      const r = ir.records[t.id]!;
      return r.name ? `${r.tag} ${r.name}` : r.tag;
    }
    case 'enum': {
      const e = ir.enums[t.id]!;
      return e.name ? `enum ${e.name}` : 'enum';
    }
    case 'typedef':
      return t.name;
    case 'unknown':
      return t.spelling;
  }
}
