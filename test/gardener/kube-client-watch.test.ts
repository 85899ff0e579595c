// Watch streams as a real TLS server sends them: events cut anywhere between writes, several in one
// write, CRLF line ends, a last event without a newline; an event past the size bound and an
// undecodable line each end the watch with a clear error.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterAccess } from '../../src/gardener/cluster-access.js';
import { ConnectionPool } from '../../src/gardener/connection-pool.js';
import { KubeClient, type WatchEvent } from '../../src/gardener/kube-client.js';
import { makeCertDir } from '../support/certs.js';

let server: Server;
let client: KubeClient;
const pool = new ConnectionPool();
/** path -> the writes the server makes, in order, before ending the response. */
const streams = new Map<string, (string | Buffer)[]>();

beforeAll(async () => {
  const certs = await makeCertDir();
  server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const writes = streams.get(new URL(req.url!, 'https://x').pathname) ?? [];
    res.writeHead(200, { 'content-type': 'application/json' });
    void (async () => {
      for (const w of writes) {
        if (res.destroyed) return;
        res.write(w);
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const access: ClusterAccess = {
    pool,
    server: () => url,
    requestAccess: async () => ({ agent: pool.agentWith(url, { ca: certs.caCert }), headers: {} }),
  };
  client = new KubeClient(access);
});
afterAll(async () => {
  pool.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function watch(path: string, writes: (string | Buffer)[]): Promise<{ events: WatchEvent[]; error?: Error }> {
  streams.set(path, writes);
  const events: WatchEvent[] = [];
  try {
    await client.watch(path, {}, (e) => events.push(e), 60_000);
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

const event = (name: string) => JSON.stringify({ type: 'ADDED', object: { metadata: { name, note: 'é ü' } } });

describe('KubeClient.watch', () => {
  it('delivers every event in order however the stream is cut', async () => {
    const text = `${event('a')}\n${event('b')}\r\n\n${event('c')}\n${event('d')}`;
    const bytes = Buffer.from(text);
    // Cut inside events and inside the two-byte characters.
    const cuts = [1, 7, bytes.indexOf('é') + 1, bytes.indexOf('\n') + 1, bytes.length - 3];
    const writes = [0, ...cuts].map((from, i) => bytes.subarray(from, [...cuts, bytes.length][i]));
    const { events, error } = await watch('/cut', writes);
    expect(error).toBeUndefined();
    expect(events.map((e) => (e.object as { metadata: { name: string; note: string } }).metadata)).toEqual(
      ['a', 'b', 'c', 'd'].map((name) => ({ name, note: 'é ü' })),
    );
  });

  it('ends the watch on an event larger than any object the API server stores', async () => {
    const chunk = 'x'.repeat(1024 * 1024);
    const { events, error } = await watch('/huge', [
      `${event('a')}\n{"type":"ADDED","object":{"data":"`,
      ...Array<string>(5).fill(chunk),
      '"}}\n',
      `${event('b')}\n`,
    ]);
    expect(error?.message).toMatch(/watch \/huge: event larger than \d+ characters/);
    expect(events).toHaveLength(1);
  });

  it('ends the watch on an undecodable line', async () => {
    const { events, error } = await watch('/garbage', [`${event('a')}\nnot json\n${event('b')}\n`]);
    expect(error?.message).toBe('watch /garbage: undecodable event');
    expect(events).toHaveLength(1);
  });
});
