// Reading all six fields of vfio_region_info: generated view vs hand-written DataView code.
// (binary-parser / @solana/buffer-layout comparisons are not wired yet.) Run: node bench/emit-view.bench.mjs
import { VfioRegionInfo } from '@uapi-ts/vfio';

const N = 5_000_000;
const buf = new Uint8Array(32);
const init = VfioRegionInfo.from(buf);
init.argsz = 32; init.flags = 7; init.index = 2; init.cap_offset = 0; init.size = 4096n; init.offset = 1n << 40n;

function viaView() {
  const v = VfioRegionInfo.from(buf);
  let acc = 0; let big = 0n;
  for (let i = 0; i < N; i++) { acc += v.argsz + v.flags + v.index + v.cap_offset; big += v.size + v.offset; }
  return [acc, big];
}
function viaDataView() {
  const dv = new DataView(buf.buffer, buf.byteOffset, 32);
  let acc = 0; let big = 0n;
  for (let i = 0; i < N; i++) {
    acc += dv.getUint32(0, true) + dv.getUint32(4, true) + dv.getUint32(8, true) + dv.getUint32(12, true);
    big += dv.getBigUint64(16, true) + dv.getBigUint64(24, true);
  }
  return [acc, big];
}
function time(f) { f(); const t = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t) / 1e6; }
const tv = time(viaView); const td = time(viaDataView);
console.log(`vfio_region_info, 6 fields x ${N}: generated view ${tv.toFixed(1)} ms, hand-written DataView ${td.toFixed(1)} ms, ratio ${(td / tv).toFixed(2)}x (goal >= 0.9x)`);
