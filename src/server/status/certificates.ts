// Expiry of the certificates an operator must renew: the serving certificate and the CA bundle.
import { bundleCertificates } from '../../certs/ca-bundle.js';
import { METRIC_PREFIX } from '../../observability/metrics.js';
import type { CertificateStatus } from './documents.js';

/** One series per certificate, set by whichever process relies on it (server and register controller alike). */
export const CERTIFICATE_NOT_AFTER_GAUGE = {
  name: `${METRIC_PREFIX}certificate_not_after_timestamp_seconds`,
  help: 'When a certificate this process relies on expires (Unix time): the serving certificate, its CA, or the CA bundle written into shoots.',
  labelNames: ['certificate'] as const,
};

const DAY_MS = 86_400_000;
/** A certificate this close to expiry is shown as needing action. */
const EXPIRY_WARNING_DAYS = 14;

export function certificateStatus(notAfter: Date, now: number, subject?: string): CertificateStatus {
  const status: CertificateStatus = { notAfter: notAfter.toISOString(), daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS) };
  if (subject) status.subject = subject;
  return status;
}

export function bundleStatus(pem: string, now: number): CertificateStatus[] {
  return bundleCertificates(pem).map((c) => certificateStatus(new Date(c.validTo), now, c.subject.replace(/\n/g, ', ')));
}

export function expiringSoon(cert: CertificateStatus): boolean {
  return cert.daysLeft < EXPIRY_WARNING_DAYS;
}
