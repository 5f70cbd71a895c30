/**
 * Both TypeScript programs in one node process (node's start-up and the imports cost seconds under
 * TCG, so the guest pays them once): the probe on every device, then the edu driver.
 *
 *   node run.js OUTDIR [--edu BDF] BDF...      writes OUTDIR/ts.json and OUTDIR/edu.json
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drive, failedDrive } from './edu-driver.js';
import { failedProbe, probe } from './vfio-probe.js';

const [out, ...rest] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: run OUTDIR [--edu BDF] BDF...\n');
  process.exit(2);
}
const eduAt = rest.indexOf('--edu');
const edu = eduAt >= 0 ? rest[eduAt + 1] : undefined;
const bdfs = rest.filter((_, i) => eduAt < 0 || (i !== eduAt && i !== eduAt + 1));
const started = Date.now();
const report = await probe(bdfs).catch(failedProbe);
writeFileSync(join(out, 'ts.json'), `${JSON.stringify({ ...report, ms: Date.now() - started })}\n`);
if (edu !== undefined) {
  const t = Date.now();
  const r = await drive(edu).catch((e: unknown) => failedDrive(edu, e));
  writeFileSync(join(out, 'edu.json'), `${JSON.stringify({ ...r, ms: Date.now() - t })}\n`);
}
