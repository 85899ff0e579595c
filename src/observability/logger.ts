// pino JSON logs. Request lines carry identifiers only, never object contents: gardenlet
// configuration holds kubeconfigs and tokens.
import { destination as pinoDestination, pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Lines are gathered up to this many bytes and then written at once. */
const LOG_BATCH_BYTES = 16 * 1024;
/** Room for a batch and the line that fills it; a longer line is written on its own. */
const BATCH_CAPACITY = 64 * 1024;
/** No line waits longer than this for the batch to fill, so a quiet server's log is still current. */
const LOG_FLUSH_INTERVAL_MS = 1000;

/**
 * Where log lines go (a file descriptor or a path): gathered into batches, each written synchronously,
 * as Node writes to a pipe. Measured on the admission hot path (one core), this costs less than
 * asynchronous writes, which hand every batch to libuv's thread pool and back. Flushed every second and
 * on exit.
 */
export function createLogDestination(dest: number | string): DestinationStream {
  const writer = pinoDestination({ dest, sync: true, contentMode: 'buffer', maxWrite: BATCH_CAPACITY });
  const batches = new LineBatches(writer, LOG_BATCH_BYTES, BATCH_CAPACITY);
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
 * Each line encoded to UTF-8 once, into one reused buffer, and handed to the writer a batch at a time.
 * Given strings, sonic-boom measures every line's bytes twice and, after each write, encodes the whole
 * written text again only to find what is left; and lines kept as strings until the batch is full
 * outlive a young-generation collection more often.
 */
class LineBatches implements DestinationStream {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(
    private readonly writer: ReturnType<typeof pinoDestination>,
    private readonly batchBytes: number,
    capacity: number,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  write(line: string): void {
    // UTF-8 needs at most three bytes for each UTF-16 unit.
    if (this.used + line.length * 3 > this.buffer.length) {
      this.writeBatch();
      if (line.length * 3 > this.buffer.length) {
        this.writeBytes(Buffer.from(line));
        return;
      }
    }
    this.used += this.buffer.write(line, this.used);
    if (this.used >= this.batchBytes) this.writeBatch();
  }

  /** pino's logger.flush() lands here. */
  flush(done?: (err?: Error) => void): void {
    this.writeBatch();
    this.writer.flush(done);
  }

  private writeBatch(): void {
    if (this.used === 0) return;
    // A copy: after a failed write the writer keeps what it was given, and this buffer is reused.
    const batch = Buffer.from(this.buffer.subarray(0, this.used));
    this.used = 0;
    this.writeBytes(batch);
  }

  private writeBytes(bytes: Buffer): void {
    // sonic-boom's types name only strings; in buffer content mode it is given Buffers.
    this.writer.write(bytes as unknown as string);
  }
}

export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream | NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { component: 'http-proxy-migrator' }, timestamp: isoTimeOncePerMillisecond() },
    destination ?? createLogDestination(1),
  );
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
