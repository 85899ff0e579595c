// Go durations as Gardener's flags and the apiserver's ?timeout= write them.
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/util/go-duration.js';

describe('parseDuration', () => {
  it.each([
    ['5m', 300_000],
    ['30s', 30_000],
    ['200ms', 200],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', '5x', 'm5', '-1s', '5 m'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
});
