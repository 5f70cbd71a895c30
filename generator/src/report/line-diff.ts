/**
 * Line diffs of generated files: counts of added and removed lines, and unified-format hunks, from
 * a shortest edit script (Myers' O(ND) algorithm, after stripping the common prefix and suffix).
 * Edits past `maxEdits` fall back to one replaced block (counts are then an upper bound).
 */

export type Edit = { op: ' ' | '-' | '+'; line: string };

export interface LineDiff {
  added: number;
  removed: number;
  /** The edit script, common lines included; undefined when the files are identical. */
  edits: Edit[] | undefined;
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(a: string, b: string, maxEdits = 4000): LineDiff {
  const x = splitLines(a);
  const y = splitLines(b);
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  if (pre === x.length && pre === y.length) return { added: 0, removed: 0, edits: undefined };
  const mx = x.slice(pre, x.length - suf);
  const my = y.slice(pre, y.length - suf);
  const middle = myers(mx, my, maxEdits) ?? [...mx.map((line): Edit => ({ op: '-', line })), ...my.map((line): Edit => ({ op: '+', line }))];
  const edits: Edit[] = [
    ...x.slice(0, pre).map((line): Edit => ({ op: ' ', line })),
    ...middle,
    ...x.slice(x.length - suf).map((line): Edit => ({ op: ' ', line })),
  ];
  let added = 0;
  let removed = 0;
  for (const e of middle) {
    if (e.op === '+') added++;
    else if (e.op === '-') removed++;
  }
  return { added, removed, edits };
}

/** Shortest edit script from x to y, or undefined when it needs more than maxD edits. */
function myers(x: readonly string[], y: readonly string[], maxD: number): Edit[] | undefined {
  const n = x.length;
  const m = y.length;
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] = the furthest x reached on each diagonal k in [-d, d] after d edits.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let px = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) {
        px++;
        py++;
      }
      v[off + k] = px;
      if (px >= n && py >= m) {
        trace.push(v.slice(off - d, off + d + 1));
        return backtrack(trace, x, y);
      }
    }
    trace.push(v.slice(off - d, off + d + 1));
  }
  return undefined;
}

function backtrack(trace: readonly Int32Array[], x: readonly string[], y: readonly string[]): Edit[] {
  const out: Edit[] = [];
  let px = x.length;
  let py = y.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1]!; // indexed k + (d - 1)
    const k = px - py;
    const down = k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!);
    const pk = down ? k + 1 : k - 1;
    const sx = prev[pk + d - 1]!;
    const sy = sx - pk;
    // Back along the snake (common lines) to the point right after the edit, then the edit.
    while (px > sx && py > sy) out.push({ op: ' ', line: x[--px]! }), py--;
    if (down) out.push({ op: '+', line: y[--py]! });
    else out.push({ op: '-', line: x[--px]! });
  }
  while (px > 0 && py > 0) out.push({ op: ' ', line: x[--px]! }), py--;
  return out.reverse();
}

/** Unified diff text (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with `context` lines), at most maxLines body lines. */
export function unifiedDiff(aName: string, bName: string, d: LineDiff, context = 3, maxLines = 80): string {
  if (!d.edits) return '';
  const e = d.edits;
  // Line numbers (1-based) in a and in b at each position of the edit script.
  const atA = new Int32Array(e.length + 1);
  const atB = new Int32Array(e.length + 1);
  atA[0] = atB[0] = 1;
  for (let i = 0; i < e.length; i++) {
    atA[i + 1] = atA[i]! + (e[i]!.op === '+' ? 0 : 1);
    atB[i + 1] = atB[i]! + (e[i]!.op === '-' ? 0 : 1);
  }
  const changes: number[] = [];
  for (let i = 0; i < e.length; i++) if (e[i]!.op !== ' ') changes.push(i);
  const out = [`--- ${aName}`, `+++ ${bName}`];
  let budget = maxLines;
  let cut = false;
  for (let c = 0; c < changes.length && !cut; ) {
    // A hunk: changes at most 2 * context common lines apart, with context lines around them.
    let last = c;
    while (last + 1 < changes.length && changes[last + 1]! - changes[last]! <= 2 * context + 1) last++;
    const start = Math.max(0, changes[c]! - context);
    const end = Math.min(e.length, changes[last]! + 1 + context);
    const na = atA[end]! - atA[start]!;
    const nb = atB[end]! - atB[start]!;
    out.push(`@@ -${na ? atA[start] : atA[start]! - 1},${na} +${nb ? atB[start] : atB[start]! - 1},${nb} @@`);
    for (let i = start; i < end; i++) {
      if (budget-- === 0) {
        cut = true;
        break;
      }
      out.push(`${e[i]!.op}${e[i]!.line}`);
    }
    c = last + 1;
  }
  if (cut) out.push(`... (cut at ${maxLines} lines; ${d.added} added and ${d.removed} removed lines in all)`);
  return out.join('\n') + '\n';
}
