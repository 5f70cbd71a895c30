#!/usr/bin/env node
// Capability-chain walk: @uapi-ts/runtime's checked cursor (strict policy, every check on) vs a
// hand-written DataView loop reading the same fields with no checks: argsz, flags and cap_offset of
// the info, id, version and next of each cap header, and the same payload field per cap (the
// runtime reads argsz and version for its checks; the walkers below consume both so neither side
// reads anything the other does not). Two pairings, each ratio against its own baseline:
//   - a new cursor per walk vs a hand loop that makes a new DataView per walk (the goal line);
//   - cursor.reset(buf) on the same buffer (the cursor keeps its DataView) vs a hand loop that keeps
//     its DataView too.
// Prints ops/s, the ratios (goal >= 0.8x) and allocation per cap in strict mode (run with
// --expose-gc, as scripts/bench.mjs does). Nothing here asserts timings.
import { ChainBuilder, capTable, capabilityCursor } from '../runtime/dist/index.js';

const F = { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 16, capsFlag: 1 << 1 };
const INFO = 24; // vfio_iommu_type1_info-like: argsz, flags, u64 iova_pgsizes, cap_offset, pad
const table = capTable([
  { id: 1, version: 1, name: 'iova_range', minSize: 16, flex: { countOffset: 8, countSize: 4, elementSize: 16, arrayOffset: 16 } },
  { id: 2, version: 1, name: 'migration', minSize: 32 },
  { id: 3, version: 1, name: 'dma_avail', minSize: 12 },
  { id: 4, version: 1, name: 'nesting', minSize: 16 },
]);
const opts = { infoEnd: 20, ...F, caps: table, alignment: 'strict' };

function makeChain(nCaps) {
  const b = new ChainBuilder({ infoSize: INFO });
  for (let i = 0; i < nCaps; i++) {
    const k = i % 4;
    if (k === 0) { const body = new Uint8Array(8 + 32); const dv = new DataView(body.buffer); dv.setUint32(0, 2, true); dv.setBigUint64(8, 0x1000n, true); dv.setBigUint64(16, 0xfeefffffn, true); b.add(1, 1, body); }
    if (k === 1) { const body = new Uint8Array(24); new DataView(body.buffer).setBigUint64(8, 0x1000n, true); b.add(2, 1, body); }
    if (k === 2) { const body = new Uint8Array(4); new DataView(body.buffer).setUint32(0, 65535, true); b.add(3, 1, body); }
    if (k === 3) { b.add(4, 1, new Uint8Array(8)); }
  }
  return b.finish(new Uint8Array(INFO), { ...F, userArgsz: INFO + b.capsSize }).bytes;
}

// Payload read per cap (same for both walkers): id 1 → flexible count (nr_iovas) + first range
// start; 2 → pgsize_bitmap; 3 → avail; 4 → u32 flags. Both also fold argsz and each version in.
function runtimeWalk(buf) {
  return walkWith(capabilityCursor(buf, opts));
}
// Hot-loop style: one cursor re-targeted per walk (reset re-reads argsz/flags/cap_offset).
let shared;
function runtimeWalkReused(buf) {
  shared ??= capabilityCursor(buf, opts);
  return walkWith(shared.reset(buf));
}
function walkWith(c) {
  let acc = c.argsz;
  while (!c.next().done) {
    const dv = c.dv, b = c.base;
    acc += c.version;
    switch (c.id) {
      case 1: acc += c.flexCount + Number(dv.getBigUint64(b + 16, true)); break;
      case 2: acc += Number(dv.getBigUint64(b + 16, true)); break;
      case 3: acc += dv.getUint32(b + 8, true); break;
      default: acc += dv.getUint32(b + 8, true);
    }
  }
  return acc;
}

function handWalk(buf) {
  return handWalkWith(new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
}
// Hot-loop style for the hand loop too: its DataView made once per buffer.
let handBuf, handDv;
function handWalkKept(buf) {
  if (buf !== handBuf) { handBuf = buf; handDv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
  return handWalkWith(handDv);
}
function handWalkWith(dv) {
  let acc = dv.getUint32(0, true);
  let off = (dv.getUint32(4, true) & 2) !== 0 ? dv.getUint32(16, true) : 0;
  while (off !== 0) {
    const id = dv.getUint16(off, true);
    acc += dv.getUint16(off + 2, true);
    switch (id) {
      case 1: acc += dv.getUint32(off + 8, true) + Number(dv.getBigUint64(off + 16, true)); break;
      case 2: acc += Number(dv.getBigUint64(off + 16, true)); break;
      case 3: acc += dv.getUint32(off + 8, true); break;
      default: acc += dv.getUint32(off + 8, true);
    }
    off = dv.getUint32(off + 4, true);
  }
  return acc;
}

// Each walker gets its own driver loop (a fresh function, so the call in it sees one target and
// V8 treats every walker alike, as a caller's hot loop would), timed in short batches for `ms`;
// the fastest batch gives ops/s, so other load on the machine (a pause, another process) does not
// land on one side of a ratio only.
const drivers = new Map();
function opsPerSec(fn, buf, ms = 1500) {
  let drive = drivers.get(fn);
  if (!drive) {
    drive = new Function('fn', 'buf', 'n', 'let s = 0; for (let i = 0; i < n; i++) s += fn(buf); return s;');
    drivers.set(fn, drive);
  }
  let sink = drive(fn, buf, 20000); // warm up
  const batch = 2000;
  let best = Infinity;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(ms) * 1_000_000n;
  for (let now = t0; now < end; ) {
    sink += drive(fn, buf, batch);
    const t = process.hrtime.bigint();
    best = Math.min(best, Number(t - now));
    now = t;
  }
  if (sink === -1) console.log(sink);
  return batch / (best / 1e9);
}

const buf4 = makeChain(4);
const expect = handWalk(buf4);
for (const f of [runtimeWalk, runtimeWalkReused, handWalkKept]) if (f(buf4) !== expect) throw new Error(`walkers disagree: ${f.name}`);
// alternate to spread noise; take the best of 3 each
const rt = [], rtReused = [], hand = [], handKept = [];
for (let i = 0; i < 3; i++) {
  rt.push(opsPerSec(runtimeWalk, buf4));
  hand.push(opsPerSec(handWalk, buf4));
  rtReused.push(opsPerSec(runtimeWalkReused, buf4));
  handKept.push(opsPerSec(handWalkKept, buf4));
}
const bestRt = Math.max(...rt), bestReused = Math.max(...rtReused), bestHand = Math.max(...hand), bestHandKept = Math.max(...handKept);
const fmt = (x) => Math.round(x).toLocaleString('en').padStart(12);
console.log(`4-cap chain walk, runtime, new cursor per walk (strict, all checks): ${fmt(bestRt)} ops/s  ratio ${(bestRt / bestHand).toFixed(2)}x`);
console.log(`4-cap chain walk, hand-written DataView loop, new DataView per walk:  ${fmt(bestHand)} ops/s`);
console.log(`4-cap chain walk, runtime, cursor.reset(buf) on the same buffer:      ${fmt(bestReused)} ops/s  ratio ${(bestReused / bestHandKept).toFixed(2)}x`);
console.log(`4-cap chain walk, hand-written DataView loop, DataView kept:          ${fmt(bestHandKept)} ops/s`);
console.log(`goal: ratio >= 0.80x`);

// Allocation: heap growth over N walks without a GC in between (young generation holds it),
// for 4-cap and 64-cap chains; the difference isolates the per-cap part from per-chain overhead.
function allocPerWalk(buf, iters) {
  let best = Infinity;
  for (let trial = 0; trial < 5; trial++) {
    globalThis.gc();
    const h0 = process.memoryUsage().heapUsed;
    let sink = 0;
    for (let i = 0; i < iters; i++) sink += runtimeWalk(buf);
    const h1 = process.memoryUsage().heapUsed;
    if (sink === -1) console.log(sink);
    best = Math.min(best, (h1 - h0) / iters);
  }
  return best;
}
if (typeof globalThis.gc !== 'function') {
  console.log('allocation: skipped (run with --expose-gc, e.g. node scripts/bench.mjs runtime)');
} else {
  const buf64 = makeChain(64);
  for (let i = 0; i < 20000; i++) runtimeWalk(buf64);
  const a4 = allocPerWalk(buf4, 10000);
  const a64 = allocPerWalk(buf64, 10000);
  const perCap = Math.max(0, (a64 - a4) / 60);
  console.log(`allocation, strict: ${a4.toFixed(1)} B per 4-cap walk (cursor + DataView, once per chain), ` +
    `${a64.toFixed(1)} B per 64-cap walk → ${perCap.toFixed(2)} B/cap marginal`);
}
