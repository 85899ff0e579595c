// A shoot's place in the percentage space: a hash of its technical ID alone, so it never depends on which
// other shoots exist, on their order, or on the run.
import { createHash } from 'node:crypto';

/** Hundredths of a percent: buckets 0..9999. */
export const BUCKETS = 10_000;

export function stableBucket(technicalId: string): number {
  // The first 48 bits of SHA-256 spread IDs that differ in one character evenly; modulo bias is < 1e-10.
  return createHash('sha256').update(technicalId).digest().readUIntBE(0, 6) % BUCKETS;
}

/** Whether the bucket lies in the first `percent` of the space (percent has at most two decimals). */
export function inPercent(bucket: number, percent: number): boolean {
  return bucket < Math.round(percent * 100);
}
