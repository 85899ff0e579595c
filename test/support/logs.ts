// A pino logger that keeps its JSON lines in memory, for asserting what the server logs.
import { Writable } from 'node:stream';
import type { LevelWithSilent } from 'pino';
import { createLogger, type Logger } from '../../src/observability/logger.js';

export interface CapturedLogs {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Lines whose msg equals `msg`. */
  withMessage(msg: string): Record<string, unknown>[];
  /** Everything logged, raw, for "never contains" assertions. */
  text(): string;
}

export function captureLogs(level: LevelWithSilent = 'info'): CapturedLogs {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(level, sink);
  const text = (): string => chunks.join('');
  const lines = (): Record<string, unknown>[] =>
    text()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, text, withMessage: (msg) => lines().filter((l) => l.msg === msg) };
}
