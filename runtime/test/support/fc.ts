/**
 * fast-check settings shared by the runtime's property tests. UAPI_FC_RUNS (default 100000) is the
 * total number of cases a file spreads over its properties (scripts/fuzz-runtime.mjs: 1,000,000);
 * UAPI_FC_SEED fixes the seed.
 */
import fc from 'fast-check';

const TOTAL = Number(process.env['UAPI_FC_RUNS'] ?? 100_000);
const SEED = process.env['UAPI_FC_SEED'] === undefined ? undefined : Number(process.env['UAPI_FC_SEED']);
const BATCH = 20_000;

/** A property's share of the total number of cases (at least 10). */
export const fcRuns = (share: number): number => Math.max(10, Math.floor(TOTAL * share));

/**
 * fc.assert over `numRuns` cases in batches of BATCH, turning the event loop between them: a
 * million cases block for minutes, and vitest's worker RPC gives up after 60 s of a blocked loop
 * (the run then fails with every test green). With UAPI_FC_SEED=S, batch i runs with seed S + i;
 * a failure reports the seed and path of its own batch.
 */
export async function assertInBatches<T>(property: fc.IProperty<T>, numRuns: number): Promise<void> {
  for (let done = 0, i = 0; done < numRuns; done += BATCH, i++) {
    fc.assert(property, { numRuns: Math.min(BATCH, numRuns - done), ...(SEED === undefined ? {} : { seed: SEED + i }) });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
