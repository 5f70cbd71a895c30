/**
 * vitest setup: keep the worker's event loop turning.
 *
 * vitest runs the tests of a file back to back with only promise (microtask) continuations in
 * between, so a file of synchronous tests holds the event loop for their sum. The worker's RPC to
 * the runner times out after a fixed 60 s, and a reply that arrived during the block is read only
 * after the timer has fired: the run exits 1 with every test green ("Timeout calling
 * onTaskUpdate"). One macrotask turn before each test bounds a block to the longest single test;
 * tests that wait on processes await them (test/support/proc.ts) instead of blocking.
 *
 * A file whose longest block still comes near that limit is named on stderr (a warning, not a
 * failure: how long a block lasts depends on the machine).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach } from 'vitest';

const WARN_MS = 20_000;
const delay = monitorEventLoopDelay({ resolution: 50 });

beforeAll(() => delay.enable());
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
afterAll(({ file }) => {
  delay.disable();
  const ms = delay.max / 1e6;
  if (ms > WARN_MS) {
    process.stderr.write(`warning: ${file?.name ?? 'a test file'} blocked its worker's event loop for ${(ms / 1000).toFixed(1)} s in one stretch (vitest's worker RPC gives up at 60 s): split the work or await it\n`);
  }
});
