export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`uapi-ts: ${argv.join(' ')}\n`);
  return 0;
}
