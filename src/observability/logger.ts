// pino JSON logs. Request lines carry identifiers only, never object contents: gardenlet
// configuration holds kubeconfigs and tokens.
import { destination as pinoDestination, pino, stdTimeFunctions, type LevelWithSilent, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function isLogLevel(value: unknown): value is LevelWithSilent {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** Asynchronous, buffered output keeps logging off the request's critical path; flushed on exit. */
export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  const stream = destination ?? pinoDestination({ dest: 1, sync: false, minLength: 4096 });
  return pino({ level, base: { component: 'http-proxy-migrator' }, timestamp: stdTimeFunctions.isoTime }, stream);
}

export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A destination that cannot flush synchronously has nothing pending worth losing the exit for.
  }
}
