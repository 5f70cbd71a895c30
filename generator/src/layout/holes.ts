/**
 * Holes and padding of a record as pahole counts them from gcc's DWARF (dwarves.c
 * class__find_holes): computed once here, printed by report/text.ts, compared with pahole itself
 * in test/report/pahole.test.ts.
 */
/** What the count needs of a member (a FieldLayout has it): bit offset, bit width, byte size. */
export interface HoleMember {
  bitOffset: number;
  bitWidth?: number;
  size: number;
}

/** Hole and padding totals of one record, as pahole's class__find_holes computes them. */
export interface PaholeHoles {
  /** Byte and bit hole before each member (pahole attaches it to the member before). */
  before: { bytes: number; bits: number }[];
  holes: number;
  sumHoles: number;
  bitHoles: number;
  sumBitHoles: number;
  sumMembers: number;
  sumBits: number;
  padding: number;
  bitPadding: number;
}

/**
 * pahole (dwarves_reorganize-free part of dwarves.c, class__find_holes) over the members DWARF
 * has: unnamed bitfields are absent there, so their bits count as holes or padding. A bitfield's
 * byte offset is pahole's: its bit offset rounded down to a multiple of its type's size.
 * Unions have no holes.
 */
export function paholeHoles(members: readonly HoleMember[], size: number, isStruct: boolean): PaholeHoles {
  const h: PaholeHoles = { before: members.map(() => ({ bytes: 0, bits: 0 })), holes: 0, sumHoles: 0, bitHoles: 0, sumBitHoles: 0, sumMembers: 0, sumBits: 0, padding: 0, bitPadding: 0 };
  for (const m of members) {
    if (m.bitWidth !== undefined) h.sumBits += m.bitWidth;
    else h.sumMembers += m.size;
  }
  if (!isStruct) return h;
  let curEnd = size * 8;
  let curSize = 0;
  let lastSeen = 0;
  let inBitfield = false;
  members.forEach((m, i) => {
    const bitStart = m.bitOffset;
    const bitEnd = bitStart + (m.bitWidth ?? m.size * 8);
    let bits = 0;
    let bytes = 0;
    if (inBitfield) {
      const end = Math.min(bitStart, curEnd);
      bits = end - lastSeen;
      lastSeen = end;
    }
    const byteOffset = m.bitWidth !== undefined ? Math.floor(bitStart / (m.size * 8)) * m.size : bitStart / 8;
    if (m.bitWidth !== undefined) {
      const alignedStart = byteOffset * 8;
      if (lastSeen < alignedStart && alignedStart <= bitStart) {
        bytes = byteOffset - Math.floor(lastSeen / 8);
        lastSeen = alignedStart;
      }
      bits += bitStart - lastSeen;
    } else {
      bytes = Math.floor(bitStart / 8) - Math.floor(lastSeen / 8);
    }
    lastSeen = bitEnd;
    if (m.bitWidth !== undefined) {
      inBitfield = true;
      const bitSize = m.size * 8;
      if (bitEnd > curEnd || bitSize > curSize) {
        curSize = bitSize;
        curEnd = byteOffset * 8 + curSize;
        if (bitEnd > curEnd) curEnd += curSize;
      }
    } else {
      inBitfield = false;
      curSize = 0;
      curEnd = bitEnd;
    }
    h.before[i] = { bytes, bits };
    if (bits !== 0) {
      h.bitHoles++;
      h.sumBitHoles += bits;
    }
    if (bytes !== 0) {
      h.holes++;
      h.sumHoles += bytes;
    }
  });
  if (inBitfield) {
    const end = Math.min(size * 8, curEnd);
    h.bitPadding = end - lastSeen;
    lastSeen = end;
  }
  h.padding = size - Math.floor(lastSeen / 8);
  return h;
}

