/**
 * The picture model: a byte map as data (cells over byte ranges, groups around them, links between
 * them), before any geometry. Built from public, documented shapes (the layout JSON, the diff's
 * changes, a decoded reply) by struct-map.ts and reply.ts; drawn by svg.ts.
 */

export type Endian = 'little' | 'big';

/**
 * - member: a named member's bytes; bitfield: one bitfield, drawn on its own line inside the
 *   bytes its bits touch; flex: a flexible array, drawn as an open end (size 0);
 * - hole: bytes between members; padding: tail padding (or the padding a kernel put after a cap);
 * - beyond: bytes of a reply past its argsz.
 */
export type CellKind = 'member' | 'bitfield' | 'flex' | 'hole' | 'padding' | 'beyond';

/**
 * Emphasis on a cell or group: `differs` (not the same on every ABI column), `warn` (the cap_offset
 * alignment warning, a misaligned cap), or a diff classification.
 */
export type Mark = 'differs' | 'warn' | 'breaking' | 'compatible' | 'padding' | 'api';

export interface BitPlace {
  /** First bit in allocation order, counted from the start of the record (byte offset * 8 + bit). */
  readonly abs: number;
  readonly width: number;
  /** As the layout JSON says: the storage unit's offset and size, and the bit offset inside it. */
  readonly unitOffset: number;
  readonly unitSize: number;
  readonly bitOffset: number;
}

export interface Cell {
  readonly kind: CellKind;
  /** The member's name ("" for holes and padding). */
  readonly name: string;
  /** Unique inside its map: named members by name, anonymous ones by position ("#2.devid"), as the diff names them. */
  readonly path: string;
  /** C type as the layout JSON spells it. */
  readonly type?: string;
  /** Byte range; for a bitfield the bytes its bits touch, for a flexible array size 0. */
  readonly offset: number;
  readonly size: number;
  readonly bits?: BitPlace;
  readonly countedBy?: string;
  /** Decoded value (reply pictures). */
  readonly value?: string;
  /** Extra detail line (replaces the default "@offset · size" line when set). */
  readonly detail?: string;
  marks: Mark[];
  /** Lane range [first, end) inside the map, set by the lane assignment. */
  lanes: [number, number];
}

export type GroupKind = 'struct' | 'union' | 'bits' | 'cap';

export interface Group {
  readonly kind: GroupKind;
  readonly label: string;
  /** Longer text for the tooltip (default: the label). */
  readonly title?: string;
  readonly path: string;
  readonly offset: number;
  readonly size: number;
  marks: Mark[];
  /** The group's title strip is lane lanes[0]; its members are below it. */
  lanes: [number, number];
}

/** An arrow between two cells: `counted_by` from a flexible array to its count, `next` from a cap's next to the cap it names. */
export interface Link {
  readonly kind: 'counted-by' | 'next';
  /** Path of the cell the arrow starts at. */
  readonly from: string;
  /** Path of the cell, or the group (`cap@56`), it points at. */
  readonly to: string;
  readonly label: string;
}

/** A warning drawn at a byte offset ("caps start here, misaligned"), and said in words under the map. */
export interface Warning {
  readonly offset: number;
  /** Bytes the warning marker spans (up to the next 8-byte boundary); 0: words only. */
  readonly size: number;
  readonly label: string;
  readonly text: string;
}

export interface MapModel {
  /** DOM id of the figure (unique in a page). */
  readonly id: string;
  /** "struct vfio_device_info". */
  readonly title: string;
  /** One line under the title: size, alignment, ABIs. */
  readonly caption: string;
  readonly endian: Endian;
  /** sizeof the record (or bytes of the reply). */
  readonly size: number;
  /** Bytes drawn: size, plus an open end for a flexible array or a warning marker. */
  readonly extent: number;
  /** Bytes per row: 8, or the record's alignment when larger. */
  readonly rowBytes: number;
  readonly lanes: number;
  readonly cells: Cell[];
  readonly groups: Group[];
  readonly links: Link[];
  readonly warnings: Warning[];
  /** Marks on the whole map (a record whose size changed in a diff, a column that differs). */
  readonly marks: Mark[];
  /** Reply pictures: the bytes, drawn as a hex strip under each row; `argsz` greys what lies past it. */
  readonly hex?: { readonly bytes: readonly number[]; readonly argsz: number };
}

/** Geometry shared by the renderers and the tests' expectations. */
export const GEOMETRY = {
  /** Width of a byte column in an 8-byte row; wider rows share the same total width. */
  rowWidth: 576,
  gutter: 44,
  rightGutter: 56,
  font: 11,
  /** Monospace advance: 0.6 em in DejaVu Sans Mono, Menlo, Consolas and Courier; a little margin on top. */
  charWidth: 11 * 0.62,
  line: 13,
  pad: 4,
  titleLane: 17,
  bitsTitleLane: 28,
  bitBar: 7,
  rowGap: 8,
  hexStrip: 15,
} as const;

export function byteWidth(rowBytes: number): number {
  return GEOMETRY.rowWidth / rowBytes;
}

/** XML/HTML text escape (also for attribute values). */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A DOM id from a name: letters, digits, `_`, `-` kept; anything else `-`. */
export function domId(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '-');
}

export interface Wrapped {
  lines: string[];
  /** The last line still does not fit: draw it squeezed to the width (SVG textLength). */
  squeezed: boolean;
}

const BREAK_AFTER = /[_ *\],.\-/(]/;

/**
 * Break `text` into lines of at most `width` pixels of the monospace font, after `_`, spaces and
 * punctuation where possible; more than `maxLines` lines: the rest joins the last one, squeezed.
 */
export function wrap(text: string, width: number, maxLines: number, charWidth: number = GEOMETRY.charWidth): Wrapped {
  const max = Math.max(1, Math.floor(width / charWidth));
  const lines: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = -1;
    for (let i = max; i >= Math.ceil(max / 3); i--) {
      // Not inside a run of underscores or right after a word's leading one (`__u32`, ` _x`).
      const underscoreRun = rest[i - 1] === '_' && (rest[i] === '_' || i < 2 || rest[i - 2] === '_' || rest[i - 2] === ' ');
      if (BREAK_AFTER.test(rest[i - 1]!) && !underscoreRun) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = max;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== '' || lines.length === 0) lines.push(rest);
  if (lines.length <= maxLines) return { lines, squeezed: false };
  const head = lines.slice(0, maxLines - 1);
  head.push(lines.slice(maxLines - 1).join(''));
  return { lines: head, squeezed: true };
}

/** "1 byte", "12 bytes". */
export function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}
