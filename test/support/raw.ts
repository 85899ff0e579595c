// Raw sockets for hostile-client tests: bytes on the wire exactly as written, at the pace the test chooses.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** A TLS connection to 127.0.0.1:`port` that has completed its handshake. */
export function openTls(port: number, options: ConnectionOptions = {}): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A plain TCP connection to 127.0.0.1:`port` (for bytes that are not TLS). */
export function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

export interface Closed {
  /** Everything the server sent before closing. */
  received: string;
  /** Milliseconds from the call until the connection ended. */
  afterMs: number;
}

/**
 * Resolves when the server ends the connection; rejects after `limitMs` (the socket is then destroyed),
 * so a server that never gives up on a client fails the test instead of hanging it.
 */
export function closedWithin(socket: Socket, limitMs: number): Promise<Closed> {
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve({ received, afterMs: 0 });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${limitMs} ms; received ${JSON.stringify(received.slice(0, 200))}`));
    }, limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ received, afterMs: Date.now() - started });
    });
  });
}

/** Writes `text` one piece every `everyMs` until done or the socket closes; bounded by the text's length. */
export async function dribble(socket: Socket, text: string, everyMs: number, pieceLength = 1): Promise<number> {
  let written = 0;
  while (written < text.length && !socket.destroyed && socket.writable) {
    socket.write(text.slice(written, written + pieceLength));
    written += pieceLength;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Math.min(written, text.length);
}

/** Whether a TCP connection to the port on loopback is refused (the listener is closed). */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
