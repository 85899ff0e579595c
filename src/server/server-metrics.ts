// Gauges of the webhook server itself that alerts read: certificate expiry and the garden webhook's calls.
import { existsSync, readFileSync } from 'node:fs';
import { Counter, Gauge } from 'prom-client';
import { METRIC_PREFIX, type Metrics } from '../observability/metrics.js';
import type { GardenCalls } from './garden-calls.js';
import { bundleCertificates } from '../certs/ca-bundle.js';
import { CERTIFICATE_NOT_AFTER_GAUGE } from './status/certificates.js';

export function registerServerMetrics(
  metrics: Metrics,
  inputs: { servingNotAfter: () => Date; caFile?: string; gardenCalls: GardenCalls },
): void {
  const registers = [metrics.registry];
  new Gauge({
    ...CERTIFICATE_NOT_AFTER_GAUGE,
    registers,
    collect() {
      this.set({ certificate: 'serving' }, inputs.servingNotAfter().getTime() / 1000);
      if (inputs.caFile && existsSync(inputs.caFile)) {
        try {
          const soonest = bundleCertificates(readFileSync(inputs.caFile, 'utf8'))
            .map((c) => Date.parse(c.validTo))
            .sort((a, b) => a - b)[0];
          if (soonest !== undefined) this.set({ certificate: 'ca' }, soonest / 1000);
        } catch {
          // An unreadable CA file leaves the series out; the serving certificate is what API servers check.
        }
      }
    },
  });
  let published = 0;
  const calls: Counter = new Counter({
    name: `${METRIC_PREFIX}garden_webhook_calls_total`,
    help: 'Reviews the garden cluster sent to the garden webhook path since start: 0 means gardener-apiserver does not consult the garden webhook configuration.',
    registers,
    collect() {
      calls.inc(inputs.gardenCalls.count - published);
      published = inputs.gardenCalls.count;
    },
  });
}
