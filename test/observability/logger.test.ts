// The production log destination: lines are batched, but a quiet server's lines still reach the log
// within about a second, and a flush on exit writes whatever is pending.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogDestination, createLogger, flushLogger } from '../../src/observability/logger.js';
import { until } from '../support/until.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function logFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logger-test-'));
  dirs.push(dir);
  return join(dir, 'log.jsonl');
}

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('log destination', () => {
  it('holds a short line in the batch, then writes it within the flush interval', async () => {
    const file = logFile();
    const logger = createLogger('info', createLogDestination(file));
    logger.info({ uid: 'u-1' }, 'admission');
    expect(lines(file)).toEqual([]);
    await until(() => lines(file).length === 1, 'the line written by the periodic flush', 3000);
    expect(lines(file)[0]).toMatchObject({ uid: 'u-1', msg: 'admission', component: 'http-proxy-migrator' });
  });

  it('writes a full batch at once, and the rest on flush', () => {
    const file = logFile();
    const logger = createLogger('info', createLogDestination(file));
    for (let i = 0; i < 200; i++) logger.info({ uid: `u-${i}` }, 'admission');
    const written = lines(file).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(200);
    flushLogger(logger);
    expect(lines(file).map((line) => line.uid)).toEqual(Array.from({ length: 200 }, (_, i) => `u-${i}`));
  });

  it('stamps each line with the current time in ISO 8601, to the millisecond', async () => {
    const file = logFile();
    const logger = createLogger('info', createLogDestination(file));
    logger.info('first');
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.info('second');
    flushLogger(logger);
    const [first, second] = lines(file).map((line) => line.time as string);
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(first!) - Date.now())).toBeLessThan(5000);
    expect(Date.parse(second!)).toBeGreaterThan(Date.parse(first!));
  });

  it('keeps lines whole across batches, whatever their characters encode to', () => {
    const file = logFile();
    const logger = createLogger('info', createLogDestination(file));
    const name = 'kühl-☃-'.repeat(200);
    for (let i = 0; i < 60; i++) logger.info({ uid: `u-${i}`, name }, 'admission');
    flushLogger(logger);
    expect(lines(file).map((line) => [line.uid, line.name])).toEqual(Array.from({ length: 60 }, (_, i) => [`u-${i}`, name]));
  });

  it('writes a line too long for the batch on its own, after the lines before it', () => {
    const file = logFile();
    const logger = createLogger('info', createLogDestination(file));
    const long = 'ü'.repeat(30_000);
    logger.info({ uid: 'before' }, 'admission');
    logger.info({ uid: 'long', name: long }, 'admission');
    logger.info({ uid: 'after' }, 'admission');
    flushLogger(logger);
    expect(lines(file).map((line) => [line.uid, line.name])).toEqual([
      ['before', undefined],
      ['long', long],
      ['after', undefined],
    ]);
  });
});
