// pino JSON logs. Request lines carry identifiers only, never object contents: gardenlet
// configuration holds kubeconfigs and tokens.
import { destination as pinoDestination, pino, stdTimeFunctions, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Lines are gathered up to this many bytes and then written at once (sonic-boom's largest single write is 16 KiB). */
const LOG_BATCH_BYTES = 16_000;
/** No line waits longer than this for the batch to fill, so a quiet server's log is still current. */
const LOG_FLUSH_INTERVAL_MS = 1000;

export function isLogLevel(value: unknown): value is LevelWithSilent {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Where log lines go (a file descriptor or a path): gathered into batches and written synchronously,
 * as Node writes to a pipe. Measured on the admission hot path (one core), this costs less than
 * asynchronous writes, which hand every batch to libuv's thread pool and back. Flushed every second and
 * on exit.
 */
export function createLogDestination(dest: number | string): DestinationStream {
  const stream = pinoDestination({ dest, sync: true, minLength: LOG_BATCH_BYTES });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Destroyed on shutdown: nothing left to write.
    }
  }, LOG_FLUSH_INTERVAL_MS).unref();
  return stream;
}

export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream | NodeJS.WritableStream): Logger {
  return pino({ level, base: { component: 'http-proxy-migrator' }, timestamp: stdTimeFunctions.isoTime }, destination ?? createLogDestination(1));
}

export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A destination that cannot flush synchronously has nothing pending worth losing the exit for.
  }
}
