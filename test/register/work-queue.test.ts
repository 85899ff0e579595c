// The queue's promises: one entry per key, never two workers on one key, a change during handling is
// not lost, and failures back off per key.
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/register/work-queue.js';

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('holds back a key added while it is handled, and hands it out again when done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0); // not handed to a second worker
    q.done(key!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  it('wakes a waiting worker', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.add('a');
    expect(await next).toBe('a');
  });

  it('doubles the backoff per consecutive failure up to the cap, and forgets on success', () => {
    const q = new WorkQueue({ baseMs: 10, maxMs: 50 });
    expect([1, 2, 3, 4].map(() => q.addRateLimited('a'))).toEqual([10, 20, 40, 50]);
    expect(q.addRateLimited('b')).toBe(10);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(10);
    q.shutDown();
  });

  it('re-adds a failed key after its backoff', async () => {
    const q = new WorkQueue({ baseMs: 10, maxMs: 10 });
    q.addRateLimited('a');
    expect(q.length).toBe(0);
    expect(await q.get()).toBe('a');
  });

  it('releases waiting workers on shutdown', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.shutDown();
    expect(await next).toBeUndefined();
    q.add('a');
    expect(await q.get()).toBeUndefined();
  });
});
