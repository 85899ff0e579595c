// Client-supplied values are quoted in answers and log lines as a short, escaped prefix at most: a
// field may be megabytes long and may hold a token. Every field a client controls is made huge, for
// every webhook, through the real TLS server; no answer repeats it and no log line grows with it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdmissionReview, KubeObject } from '../../src/admission/types.js';
import { webhooks } from '../../webhooks/index.js';
import { fixtures as vpnShootFixtures } from '../webhooks/vpn-shoot/fixtures.js';
import { LEGACY, TECHNICAL_ID, loadFixture } from '../webhooks/apiserver-proxy/fixtures.js';
import { configMapEnabling, landscape } from '../webhooks/gardenlet-config/fixtures.js';
import { send } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer } from '../support/server.js';

const t = await startTestServer({ webhooks, services: { shoots: landscape() }, logLevel: 'info' });

/** What a token looks like; a run of it longer than any quoted prefix must never come back. */
const PIECE = 'eyJhbGciOiJSUzI1NiJ9-secret-';
const hostile = (bytes: number): string => PIECE.repeat(Math.ceil(bytes / PIECE.length)).slice(0, bytes);
const LONG_RUN = PIECE.repeat(12);
const MiB = 1024 * 1024;
/** A few KiB: a log line carries identifiers and reasons only. */
const MAX_LOG_LINE = 4 * 1024;

const objects: Record<string, () => KubeObject> = {
  'apiserver-proxy': () => loadFixture(LEGACY),
  'vpn-shoot': () => vpnShootFixtures.legacyDeployment() as KubeObject,
  'gardenlet-config': configMapEnabling,
};

type Review = AdmissionReview & Record<string, unknown>;
type Edit = (review: Review) => void;
const request = (review: Review): Record<string, unknown> => review.request as unknown as Record<string, unknown>;
const objectOf = (review: Review): { metadata: Record<string, unknown> } => request(review).object as { metadata: Record<string, unknown> };

const fields: [string, Edit][] = [
  ['apiVersion (7 MiB)', (r) => (r.apiVersion = hostile(7 * MiB) as never)],
  ['kind', (r) => (r.kind = hostile(MiB) as never)],
  ['request.uid', (r) => (request(r).uid = hostile(MiB))],
  ['request.kind.kind', (r) => (request(r).kind = { group: '', version: 'v1', kind: hostile(MiB) })],
  ['request.resource.resource', (r) => (request(r).resource = { group: '', version: 'v1', resource: hostile(MiB) })],
  ['request.namespace', (r) => (request(r).namespace = hostile(MiB))],
  ['request.name', (r) => (request(r).name = hostile(MiB))],
  ['request.operation', (r) => (request(r).operation = hostile(MiB))],
  ['request.userInfo.username', (r) => (request(r).userInfo = { username: hostile(MiB) })],
  ['object.metadata.name', (r) => (objectOf(r).metadata.name = hostile(MiB))],
  ['object.metadata.namespace', (r) => (objectOf(r).metadata.namespace = hostile(MiB))],
];

function pathOf(name: string, parameter = TECHNICAL_ID): string {
  const webhook = webhooks.find((w) => w.name === name)!;
  return webhook.path + (webhook.pathParameters?.length ? `/${parameter}` : '');
}

function expectBounded(body: string, logsBefore: number): void {
  expect(body).not.toContain(LONG_RUN);
  const added = t.logs.text().slice(logsBefore);
  expect(added).not.toContain(LONG_RUN);
  for (const line of added.split('\n')) expect(line.length).toBeLessThan(MAX_LOG_LINE);
}

describe.each(webhooks.map((w) => w.name))('%s', (name) => {
  it.each(fields)('quotes at most a short prefix of a huge %s, in the answer and the log', async (_field, edit) => {
    const review = admissionReview({ object: objects[name]!() }) as Review;
    edit(review);
    const before = t.logs.text().length;
    const answer = await send(`${t.url}${pathOf(name)}`, {
      agent: t.agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(review),
    });
    expect([200, 400]).toContain(answer.status);
    expectBounded(answer.body, before);
    // The answer to a refused review still says what was wrong.
    if (answer.status === 400) expect(answer.body).toMatch(/^[^\n]{1,400}\n$/);
  });
});

it('quotes at most a short prefix of a huge content type', async () => {
  const before = t.logs.text().length;
  const answer = await send(`${t.url}${pathOf('vpn-shoot')}`, {
    agent: t.agent,
    headers: { 'content-type': hostile(12 * 1024) },
    body: '{}',
  });
  expect(answer.status).toBe(415);
  expect(answer.body).toMatch(/^content type "eyJ[^"]{58}\.\.\." \(12288 characters\) is not application\/json\n$/);
  expectBounded(answer.body, before);
});

it('quotes at most a short prefix of a huge path', async () => {
  const before = t.logs.text().length;
  const answer = await send(`${t.url}/nowhere/${hostile(12 * 1024)}`, {
    agent: t.agent,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(answer.status).toBe(404);
  expectBounded(answer.body, before);
});

it('quotes at most a short prefix of a huge technical ID in the path', async () => {
  const before = t.logs.text().length;
  const review = admissionReview({ object: objects['apiserver-proxy']!() });
  const answer = await send(`${t.url}${pathOf('apiserver-proxy', hostile(12 * 1024))}`, {
    agent: t.agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(review),
  });
  expect(answer.status).toBe(200);
  expectBounded(answer.body, before);
});

it('answers the 7 MiB apiVersion with a one-line 400 of a few hundred bytes', async () => {
  const review = admissionReview() as Review;
  review.apiVersion = hostile(7 * MiB) as never;
  const answer = await send(`${t.url}${pathOf('vpn-shoot')}`, {
    agent: t.agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(review),
  });
  expect(answer.status).toBe(400);
  expect(answer.body).toBe(
    `apiVersion "${hostile(61)}..." (${7 * MiB} characters) is not supported: expected admission.k8s.io/v1 or admission.k8s.io/v1beta1\n`,
  );
  const line = t.logs.lines().at(-1)!;
  expect(line.reason).toBe(answer.body.trimEnd());
});

// Whatever the input: any of these fields, at the review's top, in its request or in the object's
// metadata, set to any JSON value or a huge token-like string, through any webhook.
it('keeps every answer free of a huge value and every log line under 4 KiB, whatever the fields hold', async () => {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 300, max: 256 * 1024 }).map(hostile));
  const fieldsAt = (names: string[]) => fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 3 });
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...webhooks.map((w) => w.name)),
      fieldsAt(['apiVersion', 'kind']),
      fieldsAt(['uid', 'kind', 'resource', 'name', 'namespace', 'operation', 'userInfo', 'dryRun', 'options']),
      fieldsAt(['name', 'namespace', 'labels', 'annotations', 'uid']),
      async (name, top, inRequest, inMetadata) => {
        const review = admissionReview({ object: objects[name]!() }) as Review;
        Object.assign(review, top);
        Object.assign(request(review), inRequest);
        Object.assign(objectOf(review).metadata, inMetadata);
        const before = t.logs.text().length;
        const answer = await send(`${t.url}${pathOf(name)}`, {
          agent: t.agent,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(review),
        });
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expectBounded(answer.body, before);
      },
    ),
    { numRuns: 60 },
  );
});
