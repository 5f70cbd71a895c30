/**
 * What a VFIO user does after VFIO_DEVICE_GET_REGION_INFO: read the region info, then walk its
 * capability chain with each cap narrowed to its struct by id. Without a device at hand, the reply
 * is built here the way a 6.6+ kernel builds it (runtime ChainBuilder).
 */
import { ChainBuilder } from '@uapi-ts/runtime';
import {
  VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
  VFIO_REGION_INFO_CAP_SPARSE_MMAP,
  VFIO_REGION_INFO_FLAG_MMAP,
  VFIO_REGION_INFO_FLAG_READ,
  VFIO_REGION_INFO_FLAG_WRITE,
  VfioRegionInfo,
  VfioRegionInfoCapSparseMmap,
  VfioRegionSparseMmapArea,
  abi,
  ioctls,
} from '@uapi-ts/vfio';

/** A fake kernel reply: BAR0 of 16 MiB, mmap-able except a hole for the MSI-X table. */
function fakeReply(): Uint8Array {
  const areas = [
    { offset: 0n, size: 0x10000n },
    { offset: 0x20000n, size: 0xfe0000n },
  ];
  // The sparse-mmap cap body (after its 8-byte header): nr_areas, reserved, areas[].
  const cap = VfioRegionInfoCapSparseMmap.alloc({ nr_areas: areas.length }, areas.length * VfioRegionSparseMmapArea.SIZE);
  cap.areas().toArray().forEach((a, i) => {
    a.offset = areas[i]!.offset;
    a.size = areas[i]!.size;
  });
  const builder = new ChainBuilder({ infoSize: VfioRegionInfo.SIZE, littleEndian: VfioRegionInfo.layout.littleEndian })
    .add(VFIO_REGION_INFO_CAP_SPARSE_MMAP, 1, new Uint8Array(cap.dv.buffer, cap.dv.byteOffset + 8, cap.dv.byteLength - 8))
    .add(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1, new Uint8Array(0));
  const info = VfioRegionInfo.alloc({
    argsz: 256,
    flags: VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP,
    index: 0,
    size: 0x1000000n,
    offset: 0n,
  });
  const chain = VfioRegionInfo.layout.chain!;
  return builder.finish(info.bytes(), { ...chain, userArgsz: 256 }).bytes;
}

const reply = fakeReply();
const info = VfioRegionInfo.from(reply);
const req = ioctls.VFIO_DEVICE_GET_REGION_INFO;
console.log(`ABI ${abi}: VFIO_DEVICE_GET_REGION_INFO = 0x${req.request.toString(16)}, argsz >= ${req.minArgsz}`);
console.log(`region ${info.index}: size 0x${info.size.toString(16)} flags 0x${info.flags.toString(16)} cap_offset ${info.cap_offset}`);
for (const cap of info.caps()) {
  if (!cap.known) {
    console.log(`  cap @${cap.offset}: unknown id ${cap.id} v${cap.version} (${cap.bytes.length} bytes)`);
    continue;
  }
  switch (cap.id) {
    case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
      console.log(`  cap @${cap.offset}: ${cap.name}, ${cap.view.nr_areas} areas`);
      for (const a of cap.view.areas()) console.log(`    mmap [0x${a.offset.toString(16)}, 0x${(a.offset + a.size).toString(16)})`);
      break;
    case VFIO_REGION_INFO_CAP_MSIX_MAPPABLE:
      console.log(`  cap @${cap.offset}: ${cap.macro} (header only: the MSI-X table may be mmapped)`);
      break;
    default:
      console.log(`  cap @${cap.offset}: ${cap.name}`, cap.view.toJSON());
  }
}
