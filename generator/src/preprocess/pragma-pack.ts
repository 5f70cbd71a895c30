/**
 * The pragmas that change how records are laid out: `#pragma pack` (gcc's maximum_field_alignment,
 * with its push/pop stack) and `#pragma scalar_storage_order`. Each change is recorded at its place
 * in the output, so the parser can find the state at a record's closing brace.
 */
import { spell, type Loc, type Token } from './tokens.js';
import type { PackChange, Report } from './types.js';

/** Alignments `#pragma pack(N)` accepts (gcc c-pragma.cc handle_pragma_pack); 0 means none. */
const PACK_VALUES = new Set([0, 1, 2, 4, 8, 16]);

/** A pack state: gcc's maximum_field_alignment in bytes (0: none), or why we cannot know it. */
interface PackState {
  align: number;
  unknown?: string;
}

/** The pack state as the pragmas met so far leave it, and where in the output each change happened. */
export class PackPragmas {
  /** gcc's maximum_field_alignment and its push stack (gcc's alignment_stack). */
  private state: PackState = { align: 0 };
  private readonly stack: { state: PackState; id: string | undefined }[] = [];
  /** Each change, at the index in the output token list of the first token after it. */
  private readonly events: { outIndex: number; state: PackState; loc: Loc }[] = [];
  /** A scalar_storage_order other than default is in effect (we do not model byte order). */
  private storageOrder: string | undefined;

  constructor(
    private readonly report: Report,
    /** Number of tokens output so far. */
    private readonly position: () => number,
  ) {}

  /**
   * `#pragma pack` as gcc's handle_pragma_pack reads it (not macro-expanded on Linux targets):
   * `pack()`, `pack(N)`, `pack(push[, id][, N])`, `pack(pop[, id])`. A form gcc ignores (with a
   * warning) is ignored with a warning here too.
   */
  pack(args: Token[], at: Token): void {
    // Every pack pragma is a place in the output, even one gcc ignores: parse refuses one between
    // enumerators as gcc does (it reads the pragma as a token), so it needs to know where it was.
    const before = this.events.length;
    this.packInner(args, at);
    if (this.events.length === before) this.set(this.state, at.loc);
  }

  private packInner(args: Token[], at: Token): void {
    const ignored = (why: string, where: Loc = at.loc): void => this.report('pp-pragma-pack', `${why} - ignored`, where, 'warning');
    const malformed = (action: string): string => `malformed '#pragma pack(${action === 'push' ? 'push[, id][, <n>]' : 'pop[, id]'})'`;
    if (args[0]?.text !== '(') return ignored(`missing '(' after '#pragma pack'`);
    let i = 1;
    const number = (t: Token | undefined): number | undefined => {
      if (t?.kind !== 'number') return undefined;
      const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(t.text);
      if (!m) return undefined;
      return Number(m[1]!.startsWith('0x') || m[1]!.startsWith('0X') ? parseInt(m[1]!, 16) : m[1]!.length > 1 && m[1]!.startsWith('0') ? parseInt(m[1]!, 8) : parseInt(m[1]!, 10));
    };
    let action: 'set' | 'push' | 'pop';
    let align = -1;
    let id: string | undefined;
    const first = args[i];
    if (first?.text === ')') {
      action = 'set';
      align = 0;
    } else if (first?.kind === 'number') {
      const n = number(first);
      if (n === undefined) return this.unknown(`cannot read '#pragma pack(${spell(args.slice(1))}'`, first.loc);
      action = 'set';
      align = n;
      i++;
      if (args[i]?.text !== ')') return ignored(`malformed '#pragma pack'`);
    } else if (first?.kind === 'ident') {
      if (first.text === 'push') action = 'push';
      else if (first.text === 'pop') action = 'pop';
      else return ignored(`unknown action '${first.text}' for '#pragma pack'`, first.loc);
      i++;
      while (args[i]?.text === ',') {
        const t = args[i + 1];
        if (t?.kind === 'ident' && id === undefined) id = t.text;
        else if (t?.kind === 'number' && action === 'push' && align === -1) {
          const n = number(t);
          if (n === undefined) return this.unknown(`cannot read '#pragma pack(${spell(args.slice(1))}'`, t.loc);
          align = n;
        } else return ignored(malformed(action));
        i += 2;
      }
      if (args[i]?.text !== ')') return ignored(malformed(action));
    } else return ignored(`malformed '#pragma pack'`);
    // gcc applies the pragma all the same.
    if (args[i + 1]) this.report('pp-pragma-pack', `junk at end of '#pragma pack'`, args[i + 1]!.loc, 'warning');
    if (action !== 'pop' && !(PACK_VALUES.has(align) || (align === -1 && action === 'push'))) {
      return this.report('pp-pragma-pack', `alignment must be a small power of two, not ${align}`, at.loc, 'warning');
    }
    if (action === 'set') return this.set({ align }, at.loc);
    if (action === 'push') {
      this.stack.push({ state: this.state, id });
      return this.set(align === -1 ? this.state : { align }, at.loc);
    }
    if (this.stack.length === 0) return this.report('pp-pragma-pack', `'#pragma pack (pop)' encountered without matching '#pragma pack (push)'`, at.loc, 'warning');
    if (id !== undefined) {
      const k = this.stack.map((e) => e.id).lastIndexOf(id);
      // gcc warns and pops the top entry when no entry has the id.
      if (k < 0) this.report('pp-pragma-pack', `'#pragma pack(pop, ${id})' encountered without matching '#pragma pack(push, ${id})'`, at.loc, 'warning');
      else this.stack.length = k + 1;
    }
    this.set(this.stack.pop()!.state, at.loc);
  }

  /** A pack pragma we cannot read: what gcc makes of it is unknown, so are the records after it. */
  private unknown(why: string, loc: Loc): void {
    this.report('pp-pragma-pack', `${why}: records defined after it are unsupported`, loc);
    this.set({ align: 0, unknown: `${why} (${loc.file}:${loc.line}:${loc.col})` }, loc);
  }

  private set(state: PackState, loc: Loc): void {
    this.state = state;
    const effective: PackState = this.storageOrder !== undefined && state.unknown === undefined ? { align: state.align, unknown: this.storageOrder } : state;
    this.events.push({ outIndex: this.position(), state: effective, loc });
  }

  /**
   * `#pragma scalar_storage_order ORDER` (`args` are the tokens after its name): byte order of the
   * scalars in the records that follow. Not modelled, so those records are unsupported until it is
   * back to default.
   */
  scalarStorageOrder(args: Token[], name: Token): void {
    const order = args[0]?.text;
    if (order === 'default') this.storageOrder = undefined;
    else {
      this.storageOrder = `#pragma scalar_storage_order ${spell(args)} is not supported (${name.loc.file}:${name.loc.line}:${name.loc.col})`;
      this.report('pp-pragma', `#pragma scalar_storage_order ${spell(args)} is not supported: records defined under it are unsupported`, name.loc);
    }
    this.set(this.state, name.loc);
  }

  /**
   * The changes placed in the output text: `outPos` is the output position of each output token;
   * a change after the last token sits at `end`.
   */
  changes(outPos: readonly { row: number; col: number }[], end: { row: number; col: number }): PackChange[] {
    return this.events.map((e) => {
      const at = outPos[e.outIndex] ?? end;
      return { row: at.row, col: at.col, align: e.state.align, ...(e.state.unknown !== undefined ? { unknown: e.state.unknown } : {}), loc: e.loc };
    });
  }
}

/** The pack state in effect at output (row, col): the last change at or before it. */
export function packAt(changes: readonly PackChange[], r: number, c: number): { align: number; unknown?: string; loc?: Loc } {
  let state: { align: number; unknown?: string; loc?: Loc } = { align: 0 };
  for (const ch of changes) {
    if (ch.row > r || (ch.row === r && ch.col > c)) break;
    state = ch;
  }
  return state;
}
