// Certificate rotation under load: while clients on fresh and on kept-alive connections send reviews
// without pause, the serving certificate is replaced three times (same CA, a new CA the clients
// already trust via the bundle, and a torn write: certificate first, key a moment later). No request
// may fail, and new connections must get each new certificate within 15 s.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from 'node:https';
import { connect } from 'node:tls';
import { expect, it } from 'vitest';
import { generateCertificates, writeCertificates, type GeneratedCertificates } from '../../src/certs/generate.js';
import { DEFAULT_SETTINGS } from '../../src/gardener/settings.js';
import { webhooks } from '../../webhooks/index.js';
import { LOOPBACK_HOSTS, makeCertDir } from '../support/certs.js';
import { reviewAt } from '../support/client.js';
import { admissionReview } from '../support/reviews.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { LEGACY, TECHNICAL_ID, loadFixture } from '../webhooks/apiserver-proxy/fixtures.js';

const WORKERS = 8;
const MAX_REQUESTS_PER_WORKER = 20_000;
const LOAD_LIMIT_MS = 45_000;
const NEW_CERT_DEADLINE_MS = 15_000;

function servedFingerprint(t: TestServer, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: t.server.port, ca, servername: 'localhost' }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

interface Load {
  stop(): Promise<void>;
  served: () => number;
  failures: string[];
}

/** WORKERS loops posting reviews: half on a fresh connection each time, half on kept-alive ones. */
function startLoad(t: TestServer, ca: string[]): Load {
  const failures: string[] = [];
  let served = 0;
  let stopping = false;
  const url = `${t.url}/webhooks/apiserver-proxy/${TECHNICAL_ID}`;
  const object = loadFixture(LEGACY);
  const deadline = Date.now() + LOAD_LIMIT_MS;
  const workers = Array.from({ length: WORKERS }, async (_, i) => {
    const agent = new Agent({ ca, keepAlive: i % 2 === 0, maxSockets: 1 });
    try {
      for (let n = 0; n < MAX_REQUESTS_PER_WORKER && !stopping && Date.now() < deadline; n++) {
        const review = admissionReview({ object });
        try {
          const answer = await reviewAt(url, agent, review);
          if (answer.response?.uid !== review.request!.uid || !answer.response.patch) failures.push(`worker ${i}: wrong answer`);
          else served++;
        } catch (err) {
          failures.push(`worker ${i}: ${(err as Error).message}`);
        }
      }
    } finally {
      agent.destroy();
    }
  });
  return {
    failures,
    served: () => served,
    stop: async () => {
      stopping = true;
      await Promise.all(workers);
    },
  };
}

it('replaces the certificate three times under load: no request fails, new connections get each new one within 15 s', async () => {
  const certs = await makeCertDir();
  // The default poll interval: only what production has finds the changes.
  const t = await startTestServer({ webhooks, settings: DEFAULT_SETTINGS, certs });
  const next = await generateCertificates({ hosts: LOOPBACK_HOSTS, ca: { cert: certs.caCert, key: certs.caKey } });
  const newCa = await generateCertificates({ hosts: LOOPBACK_HOSTS });
  const last = await generateCertificates({ hosts: LOOPBACK_HOSTS, ca: { cert: newCa.caCert, key: newCa.caKey } });
  // The CA bundle the apiserver holds during a CA rotation: old and new.
  const bundle = [certs.caCert, newCa.caCert];
  const load = startLoad(t, bundle);

  const rotations: [string, GeneratedCertificates, () => Promise<void>][] = [
    ['same CA, written in place', next, async () => writeCertificates(certs.dir, next)],
    ['new CA, written in place', newCa, async () => writeCertificates(certs.dir, newCa)],
    [
      'torn write: certificate first, key 500 ms later',
      last,
      async () => {
        writeFileSync(join(certs.dir, 'tls.crt'), last.cert);
        await new Promise((r) => setTimeout(r, 500));
        writeFileSync(join(certs.dir, 'tls.key'), last.key);
      },
    ],
  ];
  try {
    for (const [name, pair, write] of rotations) {
      const servedBefore = load.served();
      await expect.poll(() => load.served() - servedBefore, { timeout: 10_000 }).toBeGreaterThan(20);
      const expected = new X509Certificate(pair.cert).fingerprint256;
      await write();
      const started = Date.now();
      await expect.poll(() => servedFingerprint(t, bundle), { timeout: NEW_CERT_DEADLINE_MS, interval: 100 }).toBe(expected);
      expect(Date.now() - started, name).toBeLessThan(NEW_CERT_DEADLINE_MS);
      // Traffic keeps flowing on the new certificate, too.
      const servedAfter = load.served();
      await expect.poll(() => load.served() - servedAfter, { timeout: 10_000 }).toBeGreaterThan(20);
    }
  } finally {
    await load.stop();
  }
  expect(load.failures).toEqual([]);
  expect(load.served()).toBeGreaterThan(100);
  expect(t.logs.withMessage('serving certificate reloaded')).toHaveLength(3);
}, 60_000);
