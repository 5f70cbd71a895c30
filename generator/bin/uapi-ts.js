#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (root "prepare" script) or `npm run build`.
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  process.stderr.write(`uapi-ts is not built (${e.message.split('\n')[0]}): run \`npm ci\` (or \`npm run build\`) at the repository root\n`);
  process.exit(2);
}

// `uapi-ts layout ... | head`: a reader that stops early ends the output, it is not a crash.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
