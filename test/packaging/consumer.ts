/**
 * The consumer program the install test compiles and runs in an app outside the checkout: it
 * imports every subpath the three packages export (taken from their package.json, so a new ABI or
 * entry is covered without editing this file), uses the types under `--strict`, recognises the
 * runtime's errors with the guards, finds koffi absent, and writes a VFIO reply for `uapi-ts decode`.
 * The same source is compiled as an ES module (NodeNext, bundler) and as CommonJS (require() of ESM).
 */

export type Flavor = 'esm' | 'cjs';

/** A JS identifier for the namespace import of a subpath. */
const ident = (i: number): string => `m${i}`;

/** Every file of the consumer for one flavor, relative to its folder. */
export function consumerFiles(specifiers: readonly string[], flavor: Flavor, readmes: Record<string, string>): Map<string, string> {
  const files = new Map<string, string>();
  const imports = specifiers.map((s, i) => `import * as ${ident(i)} from '${s}';`);
  const table = specifiers.map((s, i) => `  '${s}': Object.keys(${ident(i)}).length,`);
  // JSON subpaths: require() in both flavors (createRequire in an ES module).
  const req = flavor === 'esm' ? "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n" : '';
  files.set(
    'json.ts',
    `${req}export const tables = require('@uapi-ts/vfio/tables.json') as { header: string; abis: Record<string, unknown> };
export const versions = ['@uapi-ts/runtime', '@uapi-ts/vfio', 'uapi-ts'].map((p) => (require(\`\${p}/package.json\`) as { name: string; version: string }).version);
`,
  );
  for (const [name, text] of Object.entries(readmes)) files.set(name, `${text}\nexport {};\n`);
  files.set(
    'consumer.ts',
    `${imports.join('\n')}
import { writeFileSync } from 'node:fs';
import { ChainBuilder, CODEGEN_VERSIONS, RUNTIME_VERSION, isCapabilityMisalignedError, isStructOutOfBoundsError, isTransportUnavailableError, isUapiRuntimeError, loadTransport } from '@uapi-ts/runtime';
import { VFIO_REGION_INFO_CAP_SPARSE_MMAP, VFIO_REGION_INFO_FLAG_CAPS, VFIO_REGION_INFO_FLAG_READ, VfioRegionInfo, VfioRegionInfoCapSparseMmap, VfioRegionSparseMmapArea, abi, ioctls } from '@uapi-ts/vfio';
import * as s390x from '@uapi-ts/vfio/abi/s390x';
import { analyze, layoutText } from 'uapi-ts';
import { tables, versions } from './json.js';
${Object.keys(readmes).map((n) => `import './${n.replace(/\.ts$/, '.js')}';`).join('\n')}

/** A VFIO_DEVICE_GET_REGION_INFO reply with one sparse-mmap capability, as a 6.6+ kernel builds it. */
function reply(): Uint8Array {
  const cap = VfioRegionInfoCapSparseMmap.alloc({ nr_areas: 1 }, VfioRegionSparseMmapArea.SIZE);
  const area = cap.areas().toArray()[0]!;
  area.offset = 0x1000n;
  area.size = 0x2000n;
  const body = new Uint8Array(cap.dv.buffer, cap.dv.byteOffset + 8, cap.dv.byteLength - 8);
  const chain = VfioRegionInfo.layout.chain!;
  const info = VfioRegionInfo.alloc({ argsz: 256, flags: VFIO_REGION_INFO_FLAG_READ, index: 2, size: 0x4000n });
  const filled = new ChainBuilder({ infoSize: VfioRegionInfo.SIZE, littleEndian: VfioRegionInfo.layout.littleEndian })
    .add(VFIO_REGION_INFO_CAP_SPARSE_MMAP, 1, body)
    .finish(info.bytes(), { ...chain, userArgsz: 256 }).bytes;
  // The whole argsz-byte buffer the ioctl was given, as the kernel leaves it.
  const buffer = new Uint8Array(256);
  buffer.set(filled);
  return buffer;
}

async function main(): Promise<void> {
  const loaded: Record<string, number> = {
${table.join('\n')}
  };
  const bytes = reply();
  const info = VfioRegionInfo.from(bytes);
  const flags: number = info.flags;
  let outOfBounds = false;
  try {
    VfioRegionInfo.from(new Uint8Array(4));
  } catch (e) {
    outOfBounds = isStructOutOfBoundsError(e) && isUapiRuntimeError(e) && e.bufferLength === 4;
  }
  const transport = await loadTransport().then(() => 'loaded', (e: unknown) => (isTransportUnavailableError(e) ? e.name : \`other: \${String(e)}\`));
  const out = process.argv[2];
  if (out) writeFileSync(out, bytes);
  console.log(JSON.stringify({
    loaded,
    abi,
    runtime: RUNTIME_VERSION,
    codegen: [...CODEGEN_VERSIONS],
    versions,
    header: tables.header,
    caps: (flags & VFIO_REGION_INFO_FLAG_CAPS) !== 0,
    ioctl: String(ioctls.VFIO_DEVICE_GET_REGION_INFO.request),
    s390xSize: s390x.VfioRegionInfo.SIZE,
    outOfBounds,
    guardIsFunction: typeof isCapabilityMisalignedError === 'function',
    library: typeof analyze === 'function' && typeof layoutText === 'function',
    transport,
  }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
`,
  );
  return files;
}

/** tsconfig.json for one configuration of the consumer. */
export function consumerTsconfig(config: 'nodenext' | 'bundler' | 'cjs'): string {
  const common = { strict: true, target: 'es2022', types: ['node'], skipLibCheck: false, noEmitOnError: true };
  const options = config === 'bundler' ? { ...common, module: 'esnext', moduleResolution: 'bundler', noEmit: true } : { ...common, module: 'nodenext', moduleResolution: 'nodenext' };
  return JSON.stringify({ compilerOptions: options, include: ['*.ts'] }, null, 2) + '\n';
}

/** The ```ts blocks of a README, joined. */
export function readmeCode(markdown: string): string {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]).join('\n');
}
