/** In-memory header trees for unit tests. */
import { ABIS, type Abi } from '../../generator/src/layout/abi/index.js';
import { analyze, type Analysis } from '../../generator/src/pipeline.js';

export function memAnalyze(files: Record<string, string>, header: string, abi: Abi = ABIS[0]!): Analysis {
  const read = (p: string): string | undefined => files[p.replace(/^inc\//, '')];
  return analyze({ header, includeDirs: ['inc'], read }, abi);
}
