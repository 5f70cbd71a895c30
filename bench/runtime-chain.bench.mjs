#!/usr/bin/env node
// Capability-chain walk: @uapi-ts/runtime's checked cursor (strict policy, every check on) vs a
// hand-written DataView loop reading the same fields with no checks: argsz, flags and cap_offset of
// the info, id, version and next of each cap header, and the same payload field per cap (the
// runtime reads argsz and version for its checks; the walkers below consume both so neither side
// reads anything the other does not). Two pairings, each ratio against its own baseline:
//   - a new cursor per walk vs a hand loop that makes a new DataView per walk (the goal line);
//   - cursor.reset(buf) on the same buffer (the cursor keeps its DataView) vs a hand loop that keeps
//     its DataView too.
// A third walker, in both pairings, is the ceiling for any checked walk: a hand loop with the
// runtime's checks for this table written inline (locals only, the table's numbers as constants,
// no cursor object). Its ratio to the unchecked loop is what the checks alone cost; the cursor
// cannot beat it.
// Prints ops/s, the ratios (goal >= 0.8x) and the allocation per cap in strict mode of a walk and
// of negotiateCursor + a walk (goal: none; run with --expose-gc, as scripts/bench.mjs does).
// Nothing here asserts timings.
import { ChainBuilder, UapiRuntimeError, capTable, capabilityCursor, negotiate, negotiateCursor } from '../runtime/dist/index.js';

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

// The checks the cursor makes (strict policy, maxHops 256, infoEnd 20, this table), inline: the
// hop bound, the header after the info fields and inside min(argsz, length), 8-byte alignment,
// next strictly increasing with its header inside the limit, size >= the struct for a known
// (id, version), and the flexible-array count fitting the bytes after the array's start.
// The two wrappers repeat handWalk/handWalkKept on purpose: closures made by one shared factory
// would share one feedback vector, and V8 would see every walker's calls as one polymorphic site.
class CheckFailed extends Error {}
function handCheckedWalk(buf) {
  return handCheckedWith(new DataView(buf.buffer, buf.byteOffset, buf.byteLength));
}
let chkBuf, chkDv;
function handCheckedKept(buf) {
  if (buf !== chkBuf) { chkBuf = buf; chkDv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength); }
  return handCheckedWith(chkDv);
}
function handCheckedWith(dv) {
  const argsz = dv.getUint32(0, true);
  const limit = argsz < dv.byteLength ? argsz : dv.byteLength;
  let acc = argsz;
  let off = (dv.getUint32(4, true) & 2) !== 0 ? dv.getUint32(16, true) : 0;
  let hops = 0;
  while (off !== 0) {
    if (++hops > 256 || off < 20 || off > limit - 8 || (off & 7) !== 0) throw new CheckFailed('cap');
    const id = dv.getUint16(off, true);
    const version = dv.getUint16(off + 2, true);
    const next = dv.getUint32(off + 4, true);
    if (next !== 0 && (next <= off || next > limit - 8)) throw new CheckFailed('next');
    const size = (next !== 0 ? next : limit) - off;
    acc += version;
    switch (id) {
      case 1: {
        let n = 0;
        if (version === 1) {
          if (size < 16) throw new CheckFailed('size');
          n = dv.getUint32(off + 8, true);
          if (!(n * 16 <= size - 16)) throw new CheckFailed('flex');
        }
        acc += n + Number(dv.getBigUint64(off + 16, true));
        break;
      }
      case 2: if (version === 1 && size < 32) throw new CheckFailed('size'); acc += Number(dv.getBigUint64(off + 16, true)); break;
      case 3: if (version === 1 && size < 12) throw new CheckFailed('size'); acc += dv.getUint32(off + 8, true); break;
      default: if (id === 4 && version === 1 && size < 16) throw new CheckFailed('size'); acc += dv.getUint32(off + 8, true);
    }
    off = next;
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
for (const f of [runtimeWalk, runtimeWalkReused, handWalkKept, handCheckedWalk, handCheckedKept]) if (f(buf4) !== expect) throw new Error(`walkers disagree: ${f.name}`);
// The inline checks are real: both the cursor and the checked hand loop refuse a self-pointing
// next, a misaligned next and a flexible count that overruns its cap.
{
  const first = new DataView(buf4.buffer, buf4.byteOffset).getUint32(16, true);
  // [byte offset to overwrite, u32 value]: next -> the cap itself, next -> a misaligned offset,
  // nr_iovas of the first (iova_range) cap far past its bytes
  for (const [at, value] of [[first + 4, first], [first + 4, first + 4], [first + 8, 1000]]) {
    const bad = buf4.slice();
    new DataView(bad.buffer).setUint32(at, value, true);
    for (const f of [runtimeWalk, handCheckedWalk]) {
      let threw = false;
      try { f(bad); } catch (e) { threw = e instanceof CheckFailed || e instanceof UapiRuntimeError; }
      if (!threw) throw new Error(`${f.name} did not refuse a corrupt chain with its check (u32 ${value} at byte ${at})`);
    }
  }
}
// alternate to spread noise; take the best of 3 each
const rt = [], rtReused = [], hand = [], handKept = [], chk = [], chkKept = [];
for (let i = 0; i < 3; i++) {
  rt.push(opsPerSec(runtimeWalk, buf4));
  hand.push(opsPerSec(handWalk, buf4));
  rtReused.push(opsPerSec(runtimeWalkReused, buf4));
  handKept.push(opsPerSec(handWalkKept, buf4));
  chk.push(opsPerSec(handCheckedWalk, buf4));
  chkKept.push(opsPerSec(handCheckedKept, buf4));
}
const best = (xs) => Math.max(...xs);
const bestRt = best(rt), bestReused = best(rtReused), bestHand = best(hand), bestHandKept = best(handKept), bestChk = best(chk), bestChkKept = best(chkKept);
const fmt = (x) => Math.round(x).toLocaleString('en').padStart(12);
console.log(`4-cap chain walk, runtime, new cursor per walk (strict, all checks): ${fmt(bestRt)} ops/s  ratio ${(bestRt / bestHand).toFixed(2)}x`);
console.log(`4-cap chain walk, hand loop with the same checks inline, new DataView: ${fmt(bestChk)} ops/s  ratio ${(bestChk / bestHand).toFixed(2)}x (ceiling)`);
console.log(`4-cap chain walk, hand-written DataView loop, new DataView per walk:  ${fmt(bestHand)} ops/s`);
console.log(`4-cap chain walk, runtime, cursor.reset(buf) on the same buffer:      ${fmt(bestReused)} ops/s  ratio ${(bestReused / bestHandKept).toFixed(2)}x`);
console.log(`4-cap chain walk, hand loop with the same checks inline, DataView kept: ${fmt(bestChkKept)} ops/s  ratio ${(bestChkKept / bestHandKept).toFixed(2)}x (ceiling)`);
console.log(`4-cap chain walk, hand-written DataView loop, DataView kept:          ${fmt(bestHandKept)} ops/s`);
console.log(`goal: ratio >= 0.80x; "ceiling" is what the checks alone cost, with no cursor (no checked walker can do better)`);

// Allocation: JS heap growth over short runs right after a full GC (500 calls: small enough that
// no scavenge runs inside, which would hide what was allocated), the least of 9 trials (a trial
// can only gain noise: lazily made feedback and code). 4-cap and 64-cap chains; the difference
// isolates the per-cap part from the per-chain part. The walkers here read u32 payloads only
// (Number(getBigUint64()) in walkWith allocates a BigInt in the caller's code, not the runtime's),
// and reply buffers' bytes live outside the JS heap (ArrayBuffer backing stores).
function allocPer(fn, arg, iters = 500) {
  let least = Infinity;
  for (let trial = 0; trial < 9; trial++) {
    globalThis.gc();
    const h0 = process.memoryUsage().heapUsed;
    let sink = 0;
    for (let i = 0; i < iters; i++) sink += fn(arg);
    const h1 = process.memoryUsage().heapUsed;
    if (sink === -1) console.log(sink);
    least = Math.min(least, (h1 - h0) / iters);
  }
  return least;
}
function walkHeaders(c) {
  let acc = c.argsz;
  while (!c.next().done) acc += c.id + c.version + c.flexCount + c.dv.getUint32(c.base + 8, true);
  return acc;
}
const allocWalk = (buf) => walkHeaders(capabilityCursor(buf, opts));
// A kernel-like VFIO_*_GET_INFO for negotiation: copies the whole reply when the caller's argsz
// covers it, else (the copy-out rule) writes the argsz needed, the CAPS flag and cap_offset 0.
function kernelLike(reply) {
  return (_request, arg) => {
    const dv = new DataView(arg.buffer, arg.byteOffset, arg.byteLength);
    if (dv.getUint32(F.argszOffset, true) < reply.length) {
      dv.setUint32(F.argszOffset, reply.length, true);
      dv.setUint32(F.flagsOffset, F.capsFlag, true);
      dv.setUint32(F.capOffsetOffset, 0, true);
    } else {
      arg.set(reply);
    }
    return 0;
  };
}
const negotiateOpts = { ...opts, infoSize: INFO };
const initInfo = new Uint8Array(INFO);
// negotiateCursor, then a walk of its cursor reading what walkWith reads
function negotiateAndWalk(ioctl) {
  return walkHeaders(negotiateCursor(ioctl, 1, initInfo, negotiateOpts).caps);
}
// negotiate: the same exchange, caps parsed into an array (an object and a view per cap)
function negotiateParsed(ioctl) {
  return negotiate(ioctl, 1, initInfo, negotiateOpts).caps.length;
}
if (typeof globalThis.gc !== 'function') {
  console.log('allocation: skipped (run with --expose-gc, e.g. node scripts/bench.mjs runtime)');
} else {
  const buf64 = makeChain(64);
  const perCap = (a4, a64) => Math.max(0, (a64 - a4) / 60).toFixed(2);
  const io4 = kernelLike(buf4), io64 = kernelLike(buf64);
  if (negotiateAndWalk(io64) !== allocWalk(buf64)) throw new Error('negotiateCursor walks another chain than the reply');
  for (let i = 0; i < 20000; i++) { allocWalk(buf4); allocWalk(buf64); negotiateAndWalk(io64); negotiateParsed(io64); negotiateAndWalk(io4); negotiateParsed(io4); }
  const w4 = allocPer(allocWalk, buf4), w64 = allocPer(allocWalk, buf64);
  console.log(`allocation, strict walk: ${w4.toFixed(1)} B per 4-cap walk (cursor + DataView, once per chain), ` +
    `${w64.toFixed(1)} B per 64-cap walk → ${perCap(w4, w64)} B/cap marginal`);
  const n4 = allocPer(negotiateAndWalk, io4), n64 = allocPer(negotiateAndWalk, io64);
  console.log(`allocation, negotiateCursor + strict walk (2 ioctls): ${n4.toFixed(1)} B per 4-cap reply, ` +
    `${n64.toFixed(1)} B per 64-cap reply → ${perCap(n4, n64)} B/cap marginal (goal: 0)`);
  const p4 = allocPer(negotiateParsed, io4), p64 = allocPer(negotiateParsed, io64);
  console.log(`allocation, negotiate (caps parsed into an array, for comparison): ${p4.toFixed(1)} B per 4-cap reply, ` +
    `${p64.toFixed(1)} B per 64-cap reply → ${perCap(p4, p64)} B/cap marginal`);
}
