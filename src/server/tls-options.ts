// TLS settings for the admission listener: TLS 1.2 minimum, forward-secret AEAD suites only, and
// HTTP/1.1 only (kube-apiserver pins ALPN to http/1.1; not offering h2 also avoids its rapid-reset class).
import type { SecureContextOptions, TlsOptions } from 'node:tls';

const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export function secureContextOptions(cert: Buffer, key: Buffer, clientCa?: Buffer): SecureContextOptions {
  return {
    cert,
    key,
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    ...(clientCa ? { ca: clientCa } : {}),
  };
}

export function listenerTlsOptions(cert: Buffer, key: Buffer, clientCa?: Buffer): TlsOptions {
  return {
    ...secureContextOptions(cert, key, clientCa),
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: 10_000,
    // Optional client authentication: kube-apiserver can present a certificate via its admission configuration.
    requestCert: Boolean(clientCa),
    rejectUnauthorized: Boolean(clientCa),
  };
}
