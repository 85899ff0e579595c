// What a load generator is asked to do and what it reports; shared by wrk and autocannon.
import type { RequestSource } from './reviews.js';

export interface LoadOptions {
  port: number;
  source: RequestSource;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections (a per-second budget, sent in bursts); unset for as fast as answered. */
  overallRate?: number;
}

export interface LoadResult {
  /** Answers received, any status. */
  responses: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers that were not 2xx (with wrk: 4xx and 5xx). */
  non2xx: number;
  /** The load generator's CPU use as a share of one core. */
  runnerCpuPercent: number;
}
