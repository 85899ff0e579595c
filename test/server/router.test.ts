// Routing by path and reading the apiserver's ?timeout.
import { describe, expect, it } from 'vitest';
import { WebhookRouter, parseTimeout } from '../../src/server/router.js';
import { patchingWebhook, testWebhook } from '../support/webhooks.js';
import { allowed } from '../../src/admission/response.js';

describe('parseTimeout', () => {
  it.each([
    ['timeout=10s', 10_000],
    ['timeout=1s&x=y', 1_000],
    ['a=b&timeout=30s', 30_000],
    ['timeout=500ms', 500],
    ['timeout=1.5s', 1_500],
    ['timeout=1m', 60_000],
    // The webhook's own timeoutSeconds still caps the budget: an hour answers as no timeout would.
    ['timeout=1h', 3_600_000],
  ])('reads %s as %d ms', (query, ms) => {
    expect(parseTimeout(query)).toBe(ms);
  });

  it.each(['', 'timeout=', 'timeout=10', 'timeout=0s', 'timeout=-1s', 'timeout=abc', 'timeout=5 s'])('ignores %j', (query) => {
    expect(parseTimeout(query)).toBeUndefined();
  });
});

describe('WebhookRouter', () => {
  const plain = patchingWebhook('plain');
  const withId = testWebhook('with-id', 'mutating', () => allowed(), { path: '/webhooks/with-id', pathParameters: [{ name: 'id' }] });
  const withTarget = testWebhook('with-target', 'mutating', () => allowed(), {
    path: '/webhooks/with-target',
    pathParameters: [{ name: 'id' }, { name: 'target', accepts: (segment) => segment === 'one' || segment === 'two' }],
  });
  const router = new WebhookRouter([plain, withId, withTarget]);

  it('matches exact paths, with the timeout from the query', () => {
    expect(router.match('/test/plain?timeout=3s')).toEqual({ webhook: plain, timeoutMs: 3_000 });
  });

  it('hands one decoded segment after a parameterised path to the webhook', () => {
    expect(router.match('/webhooks/with-id/shoot%2D%2Dfoo')).toEqual({
      webhook: withId,
      pathParameters: { id: 'shoot--foo' },
      timeoutMs: undefined,
    });
  });

  it('hands every declared segment by name, trailing ones left off', () => {
    expect(router.match('/webhooks/with-target')).toEqual({ webhook: withTarget, timeoutMs: undefined });
    expect(router.match('/webhooks/with-target/shoot--foo')).toEqual({
      webhook: withTarget,
      pathParameters: { id: 'shoot--foo' },
      timeoutMs: undefined,
    });
    expect(router.match('/webhooks/with-target/shoot--foo/two?timeout=5s')).toEqual({
      webhook: withTarget,
      pathParameters: { id: 'shoot--foo', target: 'two' },
      timeoutMs: 5_000,
    });
  });

  it.each([
    '/test/plain/extra',
    '/webhooks/with-id/a/b',
    '/webhooks/with-id/',
    '/webhooks/with-target/shoot--foo/three',
    '/webhooks/with-target/shoot--foo/one/extra',
    '/webhooks/with-target//one',
    '/webhooks/with-target/shoot--foo/',
    '/',
    '/test',
  ])('matches nothing at %s', (path) => {
    expect(router.match(path)).toBeUndefined();
  });

  it('refuses two webhooks on one path', () => {
    expect(() => new WebhookRouter([plain, plain])).toThrow('two webhooks share the path /test/plain');
  });

  it('refuses a webhook whose path parameters share a name', () => {
    const twice = testWebhook('twice', 'mutating', () => allowed(), { pathParameters: [{ name: 'id' }, { name: 'id' }] });
    expect(() => new WebhookRouter([twice])).toThrow('webhook twice: path parameter names must be non-empty and distinct');
  });
});
