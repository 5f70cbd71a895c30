/** Differences between two versions of one struct or union on one ABI. */
import type { RecordJson } from '../contract/layout-json.js';
import { isArgszVersioned, isFlexConversion, isReservedName, leafName, normalizeType } from './conventions.js';
import { dataEnd, describeField, flattenFields, overlaps, publicShape, sameStorage, type FlatField } from './fields.js';
import type { Change, ChangeKind } from './types.js';

export function recordKey(r: RecordJson): string {
  return `${r.kind} ${r.name}`;
}

const tick = (s: string): string => `\`${s}\``;
const list = (names: readonly string[]): string => names.map(tick).join(', ');
const alignUp = (n: number, a: number): number => (a > 0 ? Math.ceil(n / a) * a : n);

export function recordAdded(r: RecordJson, abi: string): Change {
  return {
    kind: 'compatible', subject: 'record', action: 'added', abi, record: recordKey(r),
    new: { size: r.size, align: r.align },
    why: `new ${recordKey(r)} (${r.size} bytes); nothing existing changes`,
  };
}

export function recordRemoved(r: RecordJson, abi: string, movedTo?: string): Change {
  if (movedTo !== undefined) {
    return {
      kind: 'api', subject: 'record', action: 'relocated', abi, record: recordKey(r), old: { size: r.size, align: r.align }, new: { header: movedTo },
      why: `${recordKey(r)} moved out of this header into ${movedTo}, which it includes; code that includes this header still gets it (its layout there is not compared)`,
    };
  }
  return {
    kind: 'breaking', subject: 'record', action: 'removed', abi, record: recordKey(r),
    old: { size: r.size, align: r.align },
    why: `${recordKey(r)} was removed; userspace that uses it no longer builds, and the kernel no longer accepts it`,
  };
}

/** Field and record-level changes between two versions of the same record. */
export function diffRecord(o: RecordJson, n: RecordJson, abi: string): Change[] {
  const rec = recordKey(n);
  const out: Change[] = [];
  const field = (kind: ChangeKind, action: Change['action'], f: string, why: string, old?: FlatField, nw?: FlatField): void => {
    const c: Change = { kind, subject: 'field', action, abi, record: rec, field: f, why };
    if (old) c.old = { ...publicShape(old) };
    if (nw) c.new = { ...publicShape(nw) };
    out.push(c);
  };

  const oldF = flattenFields(o);
  const newF = flattenFields(n);
  const newByKey = new Map(newF.map((f) => [f.key, f]));
  const oldByKey = new Map(oldF.map((f) => [f.key, f]));
  const removed = oldF.filter((f) => !newByKey.has(f.key));
  let added = newF.filter((f) => !oldByKey.has(f.key));
  const oldEnd = dataEnd(oldF);
  const oldReal = oldF.filter((f) => !isReservedName(leafName(f.key)));
  let breakingFields = 0;
  // Bytes of `[1]` placeholders that became flexible arrays (`[]`): a shrink they explain is api.
  let flexBytes = 0;

  // Fields present in both versions.
  for (const nf of newF) {
    const of = oldByKey.get(nf.key);
    if (!of) continue;
    if (of.offset === nf.offset && isFlexConversion(of.type, nf.type)) {
      flexBytes += of.size;
      field('api', 'retyped', nf.path, `${tick(`${of.type} ${of.key}`)} became the flexible array ${tick(`${nf.type} ${nf.key}`)} at the same offset; the bytes userspace passes are the same (the kernel's flex-array conversion${of.size > 0 ? `; sizeof the struct no longer counts the ${of.size}-byte placeholder` : ''})`, of, nf);
      continue;
    }
    const sameType = normalizeType(of.type) === normalizeType(nf.type);
    if (sameStorage(of, nf)) {
      if (!sameType) {
        field('breaking', 'retyped', nf.path, `${tick(nf.key)} changed type ${tick(of.type)} -> ${tick(nf.type)} at the same offset and size; existing userspace reads the bytes the old way`, of, nf);
        breakingFields++;
      }
      continue;
    }
    if (isReservedName(leafName(nf.key)) && nf.offset >= of.offset && nf.offset + nf.size <= of.offset + of.size) {
      const used = added.filter((a) => overlaps(a, of) && a.offset >= of.offset && a.offset + a.size <= of.offset + of.size);
      if (used.length > 0) {
        field('padding', 'named-padding', nf.path, `reserved ${describeField(of)} shrank to ${nf.size} bytes at ${nf.offset}; its other bytes are now ${list(used.map((u) => u.key))}`, of, nf);
        added = added.filter((a) => !used.includes(a));
        for (const u of used) field('padding', 'named-padding', u.path, `${tick(u.key)} takes bytes that were reserved (${tick(of.key)}); old userspace had to zero them`, undefined, u);
        continue;
      }
    }
    breakingFields++;
    if (of.offset !== nf.offset || of.bitOffset !== nf.bitOffset) {
      const sz = of.size !== nf.size ? ` and its size ${of.size} -> ${nf.size}` : '';
      field('breaking', 'moved', nf.path, `${tick(nf.key)} moved from offset ${of.offset} to ${nf.offset}${sz}${of.bitOffset !== nf.bitOffset ? ` (bit ${of.bitOffset} -> ${nf.bitOffset})` : ''}; old userspace and the kernel read it at different places`, of, nf);
    } else {
      field('breaking', 'resized', nf.path, `${tick(nf.key)} changed size ${of.size} -> ${nf.size}${of.bitWidth !== nf.bitWidth ? ` (bit width ${of.bitWidth} -> ${nf.bitWidth})` : ''} (${tick(of.type)} -> ${tick(nf.type)}); old userspace and the kernel disagree about its bytes`, of, nf);
    }
  }

  // Renames: a removed field and an added one at exactly the same storage.
  const renamedOld = new Set<FlatField>();
  for (const r of removed) {
    const a = added.find((x) => sameStorage(x, r));
    if (!a) continue;
    renamedOld.add(r);
    added = added.filter((x) => x !== a);
    const sameType = normalizeType(r.type) === normalizeType(a.type);
    if (isReservedName(leafName(r.key)) && !isReservedName(leafName(a.key))) {
      field('padding', 'named-padding', a.path, `reserved ${tick(r.key)} is put to use as ${tick(`${a.type} ${a.key}`)} at the same offset and size; old userspace had to zero it`, r, a);
    } else if (sameType || isReservedName(leafName(a.key))) {
      field('api', 'renamed', a.path, `${tick(r.key)} was renamed ${tick(a.key)} at the same offset and size; only source code that names it changes`, r, a);
    } else {
      breakingFields++;
      field('breaking', 'retyped', a.path, `${tick(`${r.type} ${r.key}`)} was replaced by ${tick(`${a.type} ${a.key}`)} at the same offset and size; the bytes mean something else now`, r, a);
    }
  }

  // Removed fields (a reserved field whose bytes went to new fields is reported by those fields).
  for (const r of removed) {
    if (renamedOld.has(r)) continue;
    if (isReservedName(leafName(r.key)) && added.some((a) => overlaps(a, r))) continue;
    breakingFields++;
    field('breaking', 'removed', r.path, `${describeField(r)} was removed; userspace that sets or reads it breaks`, r);
  }

  // Added fields.
  const appended: FlatField[] = [];
  for (const a of added) {
    if (a.offset + a.size <= o.size) {
      const real = oldReal.filter((f) => overlaps(f, a));
      const reserved = oldF.filter((f) => overlaps(f, a) && isReservedName(leafName(f.key)));
      if (real.length === 0) {
        const where =
          reserved.length > 0
            ? `reserved bytes (${list(reserved.map((f) => f.key))})`
            : a.offset >= oldEnd
              ? `tail padding (bytes ${a.offset}-${a.offset + a.size - 1} of ${o.size})`
              : `a padding hole (bytes ${a.offset}-${a.offset + a.size - 1})`;
        const what = isReservedName(leafName(a.key)) ? 'made explicit as' : 'put to use as';
        field('padding', 'named-padding', a.path, `${where} ${what} ${tick(`${a.type} ${a.key}`)}; the size stays ${n.size === o.size ? n.size : `${o.size} -> ${n.size}`}`, undefined, a);
      } else if (a.inUnion && n.size === o.size) {
        field('compatible', 'union-member', a.path, `new union member ${tick(`${a.type} ${a.key}`)} overlays ${list(real.map((f) => f.key))}; the bytes and the size are unchanged`, undefined, a);
      } else {
        breakingFields++;
        field('breaking', 'added', a.path, `${describeField(a)} was inserted over bytes that ${list(real.map((f) => f.key))} used`, undefined, a);
      }
    } else if (a.offset >= oldEnd) {
      appended.push(a);
    } else {
      breakingFields++;
      field('breaking', 'added', a.path, `${describeField(a)} was inserted before the old end of the struct`, undefined, a);
    }
  }

  // The record itself.
  const alignNote = o.align !== n.align ? alignmentCause(o.align, n.align, newF) : '';
  const sizes = { old: { size: o.size, align: o.align }, new: { size: n.size, align: n.align } };
  if (o.size !== n.size) {
    const grew = n.size > o.size;
    const appendedEnd = Math.max(oldEnd, ...appended.map((a) => a.offset + a.size));
    // An appended member may raise the alignment itself (an `__aligned_u64` appended to a struct of
    // `__u32`s); a realignment no appended member can account for is not an extension.
    const alignByAppended = n.align > o.align && appended.some((a) => a.size >= n.align && a.size % n.align === 0 && a.offset % n.align === 0);
    const realigned = o.align !== n.align && !alignByAppended;
    const byAppending = grew && appended.length > 0 && alignUp(appendedEnd, Math.max(o.align, alignByAppended ? n.align : o.align)) === n.size;
    const app = appended.map((a) => a.path);
    const base: Change = { kind: 'breaking', subject: 'record', action: grew ? 'grew' : 'shrank', abi, record: rec, ...sizes, why: '' };
    if (appended.length > 0) base.appended = app;
    const name = n.name;
    if (!grew && flexBytes > 0 && breakingFields === 0 && appended.length === 0 && o.align === n.align && o.size - n.size <= alignUp(flexBytes, o.align)) {
      base.kind = 'api';
      base.why = `${name} shrank ${o.size} -> ${n.size} because its one-element trailing array became a flexible array member; every field keeps its offset and the array's elements their bytes (the kernel's flex-array conversion; an ioctl number that encodes the size reports its own change)`;
    } else if (byAppending && breakingFields === 0 && !realigned && isArgszVersioned(n)) {
      base.kind = 'compatible';
      const withAlign = o.align !== n.align ? ` (which also raises its alignment ${o.align} -> ${n.align})` : '';
      base.why = `${name} grew ${o.size} -> ${n.size} by appending ${list(app)}${withAlign}; the struct is argsz-versioned, so old userspace still works`;
    } else if (byAppending && breakingFields === 0 && isArgszVersioned(n)) {
      base.why = `${name} grew ${o.size} -> ${n.size} by appending ${list(app)} while ${alignNote}; argsz covers appended fields, not a realignment, so code built against the old header lays out anything embedding it differently`;
    } else if (byAppending && breakingFields === 0) {
      base.why = `${name} grew ${o.size} -> ${n.size} by appending ${list(app)}${alignNote ? ` while ${alignNote}` : ''}; it is passed without argsz, so the kernel cannot tell old userspace's shorter struct from the new one (and an ioctl number that encodes its size changes)`;
    } else {
      const causes = [
        breakingFields > 0 ? 'fields moved or changed' : '',
        alignNote,
        appended.length > 0 ? `${list(app)} appended` : '',
      ].filter((s) => s !== '');
      base.why = `${name} ${grew ? 'grew' : 'shrank'} ${o.size} -> ${n.size}${causes.length ? `: ${causes.join(', and ')}` : ''}${isArgszVersioned(n) && !grew ? '; shrinking breaks even an argsz-versioned struct' : isArgszVersioned(n) ? '; not a pure append, so argsz does not cover it' : '; it is passed without argsz, so old userspace and the kernel disagree on its size'}`;
    }
    out.push(base);
  } else if (o.align !== n.align) {
    out.push({
      kind: 'api', subject: 'record', action: 'aligned', abi, record: rec, ...sizes,
      why: `${alignNote.replace(/^its/, `${n.name}'s`)}; its size and every field offset are unchanged, so what userspace passes to the kernel is the same (structs that embed it report their own changes)`,
    });
  }
  return out;
}

function alignmentCause(from: number, to: number, fields: readonly FlatField[]): string {
  // `__aligned_u64` is a macro (`__u64 __attribute__((aligned(8)))`), so the layout JSON spells it
  // `__u64`: name the members that now carry the larger alignment instead.
  const wide = to > from ? fields.filter((f) => f.size >= to && f.size % to === 0 && f.bitWidth === undefined && !/[[\]]|^(struct|union)\b/.test(f.type)) : [];
  const because = wide.length > 0 ? ` (${to}-byte members such as ${tick(wide[0]!.path)} are now ${to}-aligned, as \`__aligned_u64\` makes them)` : '';
  return `its alignment went ${from} -> ${to}${because}`;
}
