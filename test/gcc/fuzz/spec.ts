/**
 * The fuzzer's case spec: a small header as a tree of removable nodes (declarations, members),
 * each leaf carrying the construct tags it exercises and, where it has one, a plain alternative
 * (the same member without its attributes) for the minimiser. Generated from a seeded PRNG so a
 * (seed, case number) pair always gives the same header.
 */

/** Deterministic PRNG (sfc32 seeded through splitmix32): same seed, same cases, on any machine. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.u32() % xs.length]!;
  }
  /** One of several choices by weight. */
  weighted<T>(xs: readonly [number, T][]): T {
    const total = xs.reduce((s, [w]) => s + w, 0);
    let r = this.u32() % total;
    for (const [w, x] of xs) {
      if (r < w) return x;
      r -= w;
    }
    return xs[xs.length - 1]![1];
  }
}

/** Constructs a case exercises (issue 12's list); the rediscovery figures are kept per tag. */
export type Tag =
  | 'alignas'
  | 'aligned'
  | 'aligned-huge'
  | 'packed'
  | 'pragma-pack'
  | 'typedef-attr'
  | 'macro'
  | 'enum64'
  | 'const-fold'
  | 'enum-negative'
  | 'shadow'
  | 'big'
  | 'utf8'
  | 'flex'
  | 'flex-union'
  | 'bitfield'
  | 'nested'
  | 'anonymous'
  | 'int128'
  | 'complex'
  | 'zero-array'
  | 'malformed';

/** A removable piece of header text: a leaf line, or a block whose items can be removed one by one. */
export interface Node {
  tags: Tag[];
  /** A leaf's text (one or more lines). */
  line?: string;
  /** A simpler replacement for a leaf (attributes dropped), tried by the minimiser. */
  plain?: string;
  /** A block: head, items, tail (`struct x {` ... `};`). */
  head?: string;
  items?: Node[];
  tail?: string;
  /** The block may not lose its last item (a struct needs a named member). */
  keepOne?: boolean;
  /** A block's head and tail without attributes (the minimiser's plain form), and its tags then. */
  plainHead?: string;
  plainTail?: string;
  plainTags?: Tag[];
}

export interface Case {
  /** Global case number; every name the case declares starts with `c<n>_`. */
  n: number;
  seed: number;
  nodes: Node[];
  /** Declares names outside its own prefix (typedefs of uint64_t, size_t...): checked alone. */
  solo: boolean;
  /** Likely rejected by gcc on some ABI: checked alone, so it does not spoil a batch. */
  risky: boolean;
  /** Set for malformed variants: what was done to the valid text (the text is then fixed). */
  malformed?: { how: string; text: string };
}

export function leaf(line: string, tags: Tag[] = [], plain?: string): Node {
  return plain === undefined ? { tags, line } : { tags, line, plain };
}

export function renderNodes(nodes: readonly Node[], indent = ''): string {
  const out: string[] = [];
  for (const n of nodes) {
    const at = (l: string): string => (l.startsWith('#') ? l : indent + l);
    if (n.items !== undefined) {
      out.push(at(n.head!));
      if (n.items.length > 0) out.push(renderNodes(n.items, `${indent}  `));
      out.push(at(n.tail!));
    } else {
      out.push(...n.line!.split('\n').map(at));
    }
  }
  return out.join('\n');
}

/** The C text of a case (a malformed case's text is fixed when it is made). */
export function renderCase(c: Case): string {
  if (c.malformed) return c.malformed.text;
  return renderNodes(c.nodes);
}

export function caseTags(c: Case): Tag[] {
  const tags = new Set<Tag>();
  const walk = (ns: readonly Node[]): void => {
    for (const n of ns) {
      for (const t of n.tags) tags.add(t);
      if (n.items) walk(n.items);
    }
  };
  walk(c.nodes);
  if (c.malformed) tags.add('malformed');
  return [...tags].sort();
}
