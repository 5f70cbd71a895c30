#!/usr/bin/env node
// The fuzzer's view of one uapi-ts build: a long-lived child that loads `<generator>/dist` (this
// checkout's or an older one's, for rediscovery runs) and answers one JSON request per line on
// stdin with one JSON reply per line on stdout. Plain JS so that any built generator can be driven
// without compiling the fuzzer against its types. The parent owns the time limit: a request that
// gets no reply in time is a hang, and the parent kills this process by its pid.
//   request  {"id":1,"header":"fz/b1.h","dir":"/tmp/x","abi":"i386"}
//   reply    {"id":1,"errors":["fz/b1.h:3:5: error: ..."],"layout":{...layout JSON...}}
//        or  {"id":1,"exception":"TypeError: ...\n    at ..."}
//   first line written: {"abis":[{"name":"x86_64","gcc":"x86_64-linux-gnu-gcc","triplet":"x86_64-linux-gnu"},...]}
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';

const generator = resolve(process.argv[2] ?? 'generator');
const lib = await import(pathToFileURL(join(generator, 'dist', 'index.js')).href);
const io = await import(pathToFileURL(join(generator, 'dist', 'cli', 'io.js')).href);

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
out({ abis: lib.ABIS.map((a) => ({ name: a.name, gcc: a.gcc, triplet: a.triplet })) });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const req = JSON.parse(line);
  try {
    const abi = lib.getAbi(req.abi);
    const a = lib.analyze({ header: req.header, includeDirs: [req.dir], read: io.readSource }, abi);
    const errors = a.diagnostics.filter((d) => d.severity === 'error').map((d) => lib.formatDiagnostic(d));
    out({ id: req.id, errors, layout: lib.toLayoutJson(a.laid) });
  } catch (e) {
    out({ id: req.id, exception: e instanceof Error ? (e.stack ?? String(e)) : String(e) });
  }
}
