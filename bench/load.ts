// The load generator: wrk where it is installed, else autocannon. wrk is written in C: it neither
// saturates its core before the bare baseline does nor pauses for garbage collection, so req/s and p99
// are the server's own. autocannon runs in this process and can hold a fixed rate.
import { runAutocannon } from './autocannon-load.js';
import type { LoadOptions, LoadResult } from './load-types.js';
import { runWrk, wrkInstalled } from './wrk-load.js';

export const LOAD_GENERATORS = ['wrk', 'autocannon'] as const;
export type LoadGenerator = (typeof LOAD_GENERATORS)[number];

/** wrk when installed and no fixed rate is asked for (wrk cannot hold one); autocannon otherwise. */
export function chooseLoadGenerator(asked: LoadGenerator | undefined, rate: number): LoadGenerator {
  if (asked === 'wrk' && rate > 0) throw new Error('wrk cannot hold a fixed --rate; use --load autocannon');
  if (asked === 'wrk' && !wrkInstalled()) throw new Error('wrk is not installed (Debian: apt-get install wrk)');
  return asked ?? (rate === 0 && wrkInstalled() ? 'wrk' : 'autocannon');
}

export function runLoad(generator: LoadGenerator, options: LoadOptions): Promise<LoadResult> {
  return generator === 'wrk' ? runWrk(options) : runAutocannon(options);
}
