// pino JSON logs. Request lines carry identifiers only, never object contents: gardenlet
// configuration holds kubeconfigs and tokens.
import { destination as pinoDestination, pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Lines are gathered up to this many characters and then written at once. */
const LOG_BATCH_CHARS = 16_000;
/** Room for a whole batch in one write, whatever its characters encode to in UTF-8. */
const MAX_WRITE_BYTES = 3 * LOG_BATCH_CHARS;
/** No line waits longer than this for the batch to fill, so a quiet server's log is still current. */
const LOG_FLUSH_INTERVAL_MS = 1000;

export function isLogLevel(value: unknown): value is LevelWithSilent {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Where log lines go (a file descriptor or a path): gathered into batches, each written synchronously,
 * as Node writes to a pipe. Measured on the admission hot path (one core), this costs less than
 * asynchronous writes, which hand every batch to libuv's thread pool and back. Flushed every second and
 * on exit.
 */
export function createLogDestination(dest: number | string): DestinationStream {
  const batches = new LineBatches(pinoDestination({ dest, sync: true, maxWrite: MAX_WRITE_BYTES }), LOG_BATCH_CHARS);
  setInterval(() => {
    try {
      batches.flush();
    } catch {
      // Destroyed on shutdown: nothing left to write.
    }
  }, LOG_FLUSH_INTERVAL_MS).unref();
  return batches;
}

/**
 * Lines kept in an array and handed to the writer one batch at a time. sonic-boom batches too
 * (minLength), but measures its whole pending text again for every line it appends: more work per
 * line than the write it saves.
 */
class LineBatches implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;

  constructor(
    private readonly writer: ReturnType<typeof pinoDestination>,
    private readonly batchChars: number,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.batchChars) this.writeBatch();
  }

  /** pino's logger.flush() lands here. */
  flush(done?: (err?: Error) => void): void {
    this.writeBatch();
    this.writer.flush(done);
  }

  private writeBatch(): void {
    if (this.lines.length === 0) return;
    const batch = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.writer.write(batch);
  }
}

export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream | NodeJS.WritableStream): Logger {
  return pino({ level, base: { component: 'http-proxy-migrator' }, timestamp: isoTimeOncePerMillisecond() }, destination ?? createLogDestination(1));
}

/**
 * pino's isoTime, formatted once per millisecond: Date#toISOString costs microseconds, and a busy
 * server writes several lines within one millisecond.
 */
function isoTimeOncePerMillisecond(): () => string {
  let formattedAt = NaN;
  let formatted = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      formatted = `,"time":"${new Date(now).toISOString()}"`;
    }
    return formatted;
  };
}

export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A destination that cannot flush synchronously has nothing pending worth losing the exit for.
  }
}
